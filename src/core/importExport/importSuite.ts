import {existsSync} from "node:fs";
import path from "node:path";
import type {ConpetStore} from "../../store/ConpetStore";
import type {ImportBatch, NewSample} from "../../store/types";
import {validateNewTask} from "../../vocabulary/validateTask";
import {ConpetError, InvalidInputError} from "../../vocabulary/errors";
import type {ImportExamplesOptions, ImportResult} from "./importExamples";
import {checkSampleFitsTask, parseImportedSample} from "./parseImportedSample";
import {readJsonFile} from "./readJsonFile";
import {readJsonLines} from "./readJsonLines";
import type {SampleSplit} from "../../vocabulary/types";

const splits: readonly SampleSplit[] = ["train", "test"];

/**
 * Imports a suite folder (format in DESIGN.md "Data"): `suite.json` lists task folders in arrival
 * order; each has `task.json` ({name, description → instruction, kind, labels}) and
 * `train.jsonl` / `test.jsonl`. A folder with `task.json` alone is a one-task suite. Every task is
 * created; a name that exists already fails the import (`TASK_EXISTS`) with nothing written.
 */
export async function importSuite(store: ConpetStore, directory: string, {task: only, cap, seed, signal}: ImportExamplesOptions = {}): Promise<ImportResult> {
    const folders = await resolveTaskFolders(directory);
    const batches: (ImportBatch & {counts: Record<SampleSplit, number>})[] = [];
    for (const folder of folders) {
        const batch = await readTaskFolder(folder);
        if (only !== undefined && batch.task.name !== only.trim())
            continue;
        if (batches.some((other) => other.task.name === batch.task.name))
            throw new InvalidInputError(`The suite ${directory} has two tasks named ${JSON.stringify(batch.task.name)}.`, {directory});
        batches.push(batch);
    }
    if (only !== undefined && batches.length === 0)
        throw new InvalidInputError(`The suite ${directory} has no task named ${JSON.stringify(only)}.`, {directory, task: only});
    signal?.throwIfAborted();
    const results = await store.importBatches(batches, {cap, seed});
    return {
        source: directory,
        format: "suite",
        tasks: results.map((result, index) => ({...result, train: batches[index]!.counts.train, test: batches[index]!.counts.test}))
    };
}

async function resolveTaskFolders(directory: string): Promise<string[]> {
    const suiteFile = path.join(directory, "suite.json");
    if (!existsSync(suiteFile)) {
        if (existsSync(path.join(directory, "task.json")))
            return [directory];
        throw new InvalidInputError(`${directory} is not a suite: it has neither suite.json nor task.json.`, {directory});
    }
    const suite = await readJsonFile(suiteFile);
    const tasks = (suite as {tasks?: unknown} | null)?.tasks;
    if (!Array.isArray(tasks) || tasks.length === 0 || tasks.some((entry) => typeof entry !== "string" || entry.trim() === ""))
        throw new InvalidInputError(`${suiteFile}: "tasks" must list the task folders in arrival order, e.g. ["task-a", "task-b"].`, {file: suiteFile});
    return (tasks as string[]).map((entry) => {
        const folder = path.resolve(directory, entry);
        // suite.json is data from elsewhere: it must not point the import outside its own folder.
        if (path.dirname(folder) !== directory)
            throw new InvalidInputError(`${suiteFile}: task folder ${JSON.stringify(entry)} is not a folder directly inside the suite.`, {file: suiteFile});
        return folder;
    });
}

async function readTaskFolder(folder: string): Promise<ImportBatch & {counts: Record<SampleSplit, number>}> {
    const taskFile = path.join(folder, "task.json");
    const raw = await readJsonFile(taskFile);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
        throw new InvalidInputError(`${taskFile}: expected an object {"name", "description", "kind", "labels"}.`, {file: taskFile});
    const {name, description, instruction, kind, labels} = raw as Record<string, unknown>;
    let task;
    try {
        task = validateNewTask({
            name: typeof name === "string" ? name : path.basename(folder),
            instruction: (instruction ?? description) as string,
            kind: kind as "classify",
            labels: (labels ?? []) as string[]
        });
    } catch (err) {
        throw ConpetError.is(err) ? new InvalidInputError(`${taskFile}: ${err.message}`, {file: taskFile}) : err;
    }

    const samples: NewSample[] = [];
    const counts: Record<SampleSplit, number> = {train: 0, test: 0};
    for (const split of splits) {
        const file = path.join(folder, `${split}.jsonl`);
        if (!existsSync(file))
            continue;
        for (const line of await readJsonLines(file)) {
            const {input, output} = parseImportedSample(file, line);
            checkSampleFitsTask(file, line.line, task, output);
            samples.push({input, output, split, source: {kind: "import", file}});
            counts[split]++;
        }
    }
    if (samples.length === 0)
        throw new InvalidInputError(`${folder} has no examples: add train.jsonl or test.jsonl with {"input", "output"} lines.`, {folder});
    return {task, create: true, samples, counts};
}
