/** "1 sample", "3 samples", "0 samples": the count with the noun in the right number. */
export function formatQuantity(count: number, singular: string, plural = `${singular}s`): string {
    return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}
