/**
 * A plain-text table for people: columns padded to their widest cell, numbers right-aligned.
 * Cells are single-line (newlines and tabs shown as spaces) and cut to `maxCellWidth`.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[], {maxCellWidth = 60} = {}): string {
    const toCell = (value: string | number) => {
        const text = String(value).replace(/[\r\n\t]+/g, " ");
        return text.length > maxCellWidth ? `${text.slice(0, maxCellWidth - 1)}…` : text;
    };
    const cells = rows.map((row) => row.map(toCell));
    const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => typeof row[column] === "number"));
    const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((row) => row[column]?.length ?? 0)));
    const line = (row: readonly string[]) => row
        .map((cell, column) => numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd();
    return [line(headers), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}
