/** "87%": a probability or accuracy as a whole percentage. */
export function formatPercent(value: number): string {
    return `${Math.round(value * 100)}%`;
}
