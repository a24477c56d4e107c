import {readFile} from "node:fs/promises";
import {InvalidInputError} from "../../vocabulary/errors";

export type JsonLine = {
    /** One-based, as editors number lines. */
    line: number;
    value: unknown;
};

/**
 * Reads a JSONL file: one JSON value a line; blank lines are skipped, a BOM and CRLF line ends
 * are accepted. A line that does not parse throws `INVALID_INPUT` naming the file and line.
 */
export async function readJsonLines(file: string): Promise<JsonLine[]> {
    let text: string;
    try {
        text = await readFile(file, "utf8");
    } catch (err) {
        throw new InvalidInputError(`Cannot read ${file}: ${(err as Error).message}`, {file});
    }
    const result: JsonLine[] = [];
    const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
    for (let index = 0; index < lines.length; index++) {
        const content = lines[index]!.trim();
        if (content === "")
            continue;
        try {
            result.push({line: index + 1, value: JSON.parse(content)});
        } catch (err) {
            throw new InvalidInputError(`${file}:${index + 1}: not valid JSON (${(err as Error).message}).`, {file, line: index + 1});
        }
    }
    return result;
}
