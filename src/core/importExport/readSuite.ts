import {existsSync} from "node:fs";
import path from "node:path";
import {ConpetError, InvalidInputError} from "../../vocabulary/errors";
import type {NewTask, SampleSplit} from "../../vocabulary/types";
import {validateNewTask} from "../../vocabulary/validateTask";
import {checkSampleFitsTask, parseImportedSample} from "./parseImportedSample";
import {readJsonFile} from "./readJsonFile";
import {readJsonLines} from "./readJsonLines";

export type SuiteSample = {input: string; output: string};

export type SuiteTask = {
    /** The task's folder, absolute. */
    folder: string;
    task: Required<NewTask>;
    /** Per split, in file order; a missing `<split>.jsonl` is an empty list. */
    samples: Record<SampleSplit, SuiteSample[]>;
};

export type Suite = {
    /** `suite.json`'s `name`, else the folder's name. */
    name: string;
    description: string;
    /** In arrival order. */
    tasks: SuiteTask[];
};

export const suiteSplits: readonly SampleSplit[] = ["train", "test"];

/**
 * Reads and checks a suite folder (format in DESIGN.md "Data"): `suite.json` lists task folders in
 * arrival order; each has `task.json` ({name, description → instruction, kind, labels}) and
 * `train.jsonl` / `test.jsonl`. A folder with `task.json` alone is a one-task suite. `only` keeps the
 * task of that name. Every error names the file (and line) to fix; nothing is half-read.
 */
export async function readSuite(directory: string, {only}: {only?: string} = {}): Promise<Suite> {
    const {name, description, folders} = await readSuiteIndex(directory);
    const tasks: SuiteTask[] = [];
    for (const folder of folders) {
        const suiteTask = await readTaskFolder(folder);
        if (only !== undefined && suiteTask.task.name !== only.trim())
            continue;
        if (tasks.some((other) => other.task.name === suiteTask.task.name))
            throw new InvalidInputError(`The suite ${directory} has two tasks named ${JSON.stringify(suiteTask.task.name)}.`, {directory});
        tasks.push(suiteTask);
    }
    if (only !== undefined && tasks.length === 0)
        throw new InvalidInputError(`The suite ${directory} has no task named ${JSON.stringify(only)}.`, {directory, task: only});
    return {name, description, tasks};
}

async function readSuiteIndex(directory: string): Promise<{name: string; description: string; folders: string[]}> {
    const suiteFile = path.join(directory, "suite.json");
    if (!existsSync(suiteFile)) {
        if (existsSync(path.join(directory, "task.json")))
            return {name: path.basename(directory), description: "", folders: [directory]};
        throw new InvalidInputError(`${directory} is not a suite: it has neither suite.json nor task.json.`, {directory});
    }
    const suite = (await readJsonFile(suiteFile) ?? {}) as {name?: unknown; description?: unknown; tasks?: unknown};
    const tasks = suite.tasks;
    if (!Array.isArray(tasks) || tasks.length === 0 || tasks.some((entry) => typeof entry !== "string" || entry.trim() === ""))
        throw new InvalidInputError(`${suiteFile}: "tasks" must list the task folders in arrival order, e.g. ["task-a", "task-b"].`, {file: suiteFile});
    const folders = (tasks as string[]).map((entry) => {
        const folder = path.resolve(directory, entry);
        // suite.json is data from elsewhere: it must not point the import outside its own folder.
        if (path.dirname(folder) !== path.resolve(directory))
            throw new InvalidInputError(`${suiteFile}: task folder ${JSON.stringify(entry)} is not a folder directly inside the suite.`, {file: suiteFile});
        return folder;
    });
    return {
        name: typeof suite.name === "string" && suite.name.trim() !== "" ? suite.name : path.basename(directory),
        description: typeof suite.description === "string" ? suite.description : "",
        folders
    };
}

async function readTaskFolder(folder: string): Promise<SuiteTask> {
    const taskFile = path.join(folder, "task.json");
    const raw = await readJsonFile(taskFile);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
        throw new InvalidInputError(`${taskFile}: expected an object {"name", "description", "kind", "labels"}.`, {file: taskFile});
    const {name, description, instruction, kind, labels} = raw as Record<string, unknown>;
    let task: Required<NewTask>;
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

    const samples: Record<SampleSplit, SuiteSample[]> = {train: [], test: []};
    for (const split of suiteSplits) {
        const file = path.join(folder, `${split}.jsonl`);
        if (!existsSync(file))
            continue;
        for (const line of await readJsonLines(file)) {
            const {input, output} = parseImportedSample(file, line);
            checkSampleFitsTask(file, line.line, task, output);
            samples[split].push({input, output});
        }
    }
    if (samples.train.length + samples.test.length === 0)
        throw new InvalidInputError(`${folder} has no examples: add train.jsonl or test.jsonl with {"input", "output"} lines.`, {folder});
    return {folder, task, samples};
}
