import {stat} from "node:fs/promises";
import path from "node:path";
import type {ConpetStore} from "../../store/ConpetStore";
import {InvalidInputError} from "../../vocabulary/errors";
import {importJsonl} from "./importJsonl";
import {importSuite} from "./importSuite";

export type ImportExamplesOptions = {
    /**
     * Suite folder: import only the task of this name. JSONL file: the task of lines that have no
     * `task` field. Defaults to `undefined` (every task of the suite; lines must name their task).
     */
    task?: string;
    /** Most train samples kept per task (reservoir sampling beyond it). Defaults to `undefined` (no cap). */
    cap?: number;
    /** Seed of the reservoir. Defaults to a random seed. */
    seed?: number;
    /** Aborting before the data is written cancels the import. Defaults to none. */
    signal?: AbortSignal;
};

export type ImportedTask = {
    taskId: number;
    name: string;
    created: boolean;
    /** Samples read from the files, per split. */
    train: number;
    test: number;
    /** What the store did with them (see `AddSamplesResult`). */
    added: number;
    evicted: number;
    skipped: number;
    /** Samples the task already had, or repeated in the files: not stored again. */
    duplicates: number;
};

export type ImportResult = {
    source: string;
    format: "suite" | "jsonl";
    tasks: ImportedTask[];
};

/**
 * Imports examples from a suite folder (`suite.json` and a folder per task, or one task folder
 * with `task.json`) or a JSONL file. Everything is read and checked first and then written in
 * one transaction: a bad line anywhere imports nothing.
 */
export async function importExamples(store: ConpetStore, source: string, options: ImportExamplesOptions = {}): Promise<ImportResult> {
    const resolved = path.resolve(source);
    const stats = await stat(resolved).catch(() => undefined);
    if (stats === undefined)
        throw new InvalidInputError(`Nothing to import at ${resolved}: no such file or folder.`, {source: resolved});
    return stats.isDirectory() ? importSuite(store, resolved, options) : importJsonl(store, resolved, options);
}
