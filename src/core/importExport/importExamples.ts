import {stat} from "node:fs/promises";
import path from "node:path";
import type {CoreStore} from "../dependencyTypes";
import {InvalidInputError} from "../../vocabulary/errors";
import {importJsonl} from "./importJsonl";
import {importSuite} from "./importSuite";
import type {ImportExamplesOptions, ImportResult} from "./types";

/**
 * Imports examples from a suite folder (`suite.json` and a folder per task, or one task folder
 * with `task.json`) or a JSONL file. Everything is read and checked first and then written in
 * one transaction: a bad line anywhere imports nothing.
 */
export async function importExamples(store: CoreStore, source: string, options: ImportExamplesOptions = {}): Promise<ImportResult> {
    const resolved = path.resolve(source);
    const stats = await stat(resolved).catch(() => undefined);
    if (stats === undefined)
        throw new InvalidInputError(`Nothing to import at ${resolved}: no such file or folder.`, {source: resolved});
    return stats.isDirectory() ? importSuite(store, resolved, options) : importJsonl(store, resolved, options);
}
