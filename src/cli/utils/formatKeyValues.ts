/** `key  value` lines with the values aligned, for a single record shown to people. */
export function formatKeyValues(record: Record<string, string | number | boolean | null | undefined>): string {
    const entries = Object.entries(record).filter(([, value]) => value !== undefined);
    const width = Math.max(0, ...entries.map(([key]) => key.length));
    return entries.map(([key, value]) => `${`${key}:`.padEnd(width + 1)}  ${String(value)}`).join("\n");
}
