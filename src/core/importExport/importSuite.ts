import path from "node:path";
import type {CoreStore} from "../dependencyTypes";
import type {ImportExamplesOptions, ImportResult} from "./types";
import {readSuite, suiteSplits} from "./readSuite";

/**
 * Imports a suite folder (see `readSuite`). Every task is created; a name that exists already
 * fails the import (`TASK_EXISTS`) with nothing written.
 */
export async function importSuite(store: CoreStore, directory: string, {task: only, cap, seed, signal}: ImportExamplesOptions = {}): Promise<ImportResult> {
    const suite = await readSuite(directory, {only});
    signal?.throwIfAborted();
    const results = await store.importBatches(suite.tasks.map(({folder, task, samples}) => ({
        task,
        create: true,
        samples: suiteSplits.flatMap((split) => samples[split].map((sample) => ({...sample, split, source: {kind: "import" as const, file: path.join(folder, `${split}.jsonl`)}})))
    })), {cap, seed});
    return {
        source: directory,
        format: "suite",
        tasks: results.map((result, index) => ({...result, train: suite.tasks[index]!.samples.train.length, test: suite.tasks[index]!.samples.test.length}))
    };
}
