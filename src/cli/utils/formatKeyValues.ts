/**
 * `key:  value` lines with the values aligned, for one record shown to people. Arrays are joined
 * with commas, objects shown as JSON; `undefined` fields are left out.
 */
export function formatKeyValues(record: object): string {
    const entries = Object.entries(record).filter(([, value]) => value !== undefined);
    const width = Math.max(0, ...entries.map(([key]) => key.length));
    return entries.map(([key, value]) => `${`${key}:`.padEnd(width + 1)}  ${formatValue(value)}`).join("\n");
}

function formatValue(value: unknown): string {
    if (Array.isArray(value))
        return value.map(formatValue).join(", ");
    if (typeof value === "object" && value !== null)
        return JSON.stringify(value);
    return String(value);
}
