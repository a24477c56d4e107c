import type {CoreStore} from "../dependencyTypes";
import {InvalidInputError, TaskNotFoundError} from "../../vocabulary/errors";
import type {ImportExamplesOptions, ImportResult} from "./types";
import {checkSampleFitsTask, parseImportedSample} from "./parseImportedSample";
import {readJsonLines} from "./readJsonLines";
import type {ImportBatch, Task} from "../../vocabulary/types";

/**
 * Imports a JSONL file of `{input, output, split?, task?}` lines into existing tasks: each line's
 * `task`, or `options.task` for lines without one. All lines are checked first (unknown task,
 * a label the task doesn't have) and then written in one transaction.
 */
export async function importJsonl(store: CoreStore, file: string, {task: defaultTask, cap, seed, signal}: ImportExamplesOptions = {}): Promise<ImportResult> {
    const lines = await readJsonLines(file);
    if (lines.length === 0)
        throw new InvalidInputError(`${file} has no examples: expected one {"input", "output"} object a line.`, {file});
    const tasks = new Map<string, Task>();
    const batches = new Map<string, ImportBatch & {train: number; test: number}>();
    for (const line of lines) {
        const sample = parseImportedSample(file, line);
        const name = sample.task ?? defaultTask?.trim();
        if (name === undefined)
            throw new InvalidInputError(`${file}:${line.line}: the line has no "task" field; name the task to import into (--task NAME).`, {file, line: line.line});
        let task = tasks.get(name);
        if (task === undefined) {
            task = await store.findTask(name);
            if (task === undefined)
                throw new InvalidInputError(`${file}:${line.line}: ${new TaskNotFoundError(name).message}`, {file, line: line.line, task: name});
            tasks.set(name, task);
        }
        checkSampleFitsTask(file, line.line, task, sample.output);
        const split = sample.split ?? "train";
        const batch = batches.get(name) ?? {task, create: false, samples: [], train: 0, test: 0};
        batch.samples.push({input: sample.input, output: sample.output, split, source: {kind: "import", file}});
        batch[split]++;
        batches.set(name, batch);
    }
    signal?.throwIfAborted();
    const ordered = [...batches.values()];
    const results = await store.importBatches(ordered, {cap, seed});
    return {
        source: file,
        format: "jsonl",
        tasks: results.map((result, index) => ({...result, train: ordered[index]!.train, test: ordered[index]!.test}))
    };
}
