import {readFile} from "node:fs/promises";
import {InvalidInputError} from "./errors";

/** Reads and parses a JSON file; a missing file or bad JSON throws `INVALID_INPUT` naming the file. */
export async function readJsonFile(file: string): Promise<unknown> {
    let text: string;
    try {
        text = await readFile(file, "utf8");
    } catch (err) {
        throw new InvalidInputError(`Cannot read ${file}: ${(err as Error).message}`, {file});
    }
    try {
        return JSON.parse(text.replace(/^\uFEFF/, ""));
    } catch (err) {
        throw new InvalidInputError(`${file}: not valid JSON (${(err as Error).message}).`, {file});
    }
}
