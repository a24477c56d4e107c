import {readFile} from "node:fs/promises";
import {InvalidInputError} from "../../vocabulary/errors";

/** Reads and parses a JSON file; a missing file or bad JSON throws `INVALID_INPUT` naming the file (and the line of bad JSON). */
export async function readJsonFile(file: string): Promise<unknown> {
    let text: string;
    try {
        text = await readFile(file, "utf8");
    } catch (err) {
        throw new InvalidInputError(`Cannot read ${file}: ${(err as Error).message}`, {file});
    }
    const json = text.replace(/^\uFEFF/, "");
    try {
        return JSON.parse(json);
    } catch (err) {
        const line = getErrorLine(json, (err as Error).message);
        throw new InvalidInputError(`${file}:${line}: not valid JSON (${(err as Error).message}).`, {file, line});
    }
}

/** The one-based line of a `JSON.parse` error: V8 gives a character position, or none when the text ends early. */
function getErrorLine(json: string, message: string): number {
    const position = /at position (\d+)/.exec(message)?.[1];
    const before = position === undefined ? json.trimEnd() : json.slice(0, Number(position));
    return before.split("\n").length;
}
