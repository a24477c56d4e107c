import {readFile} from "node:fs/promises";
import path from "node:path";
import {InvalidInputError} from "../../vocabulary/errors";
import type {TaskKind} from "../../vocabulary/types";

export type SuiteTask = {
    name: string;
    /** The task's `description`, used as its instruction. */
    instruction: string;
    kind: TaskKind;
    labels: string[];
    train: {input: string; output: string}[];
    test: {input: string; output: string}[];
};

export type Suite = {name: string; description: string; tasks: SuiteTask[]};

/** Reads a suite folder (format in DESIGN.md): `suite.json` and per task `task.json`, `train.jsonl`, `test.jsonl`. */
export async function loadSuite(directory: string): Promise<Suite> {
    const suite = await readJson(path.join(directory, "suite.json")) as {name?: string; description?: string; tasks?: unknown};
    if (!Array.isArray(suite.tasks) || suite.tasks.some((t) => typeof t !== "string"))
        throw new InvalidInputError(`${path.join(directory, "suite.json")} must list its task folders in "tasks".`);
    const tasks: SuiteTask[] = [];
    for (const folder of suite.tasks as string[]) {
        const taskDirectory = path.join(directory, folder);
        const task = await readJson(path.join(taskDirectory, "task.json")) as {name?: string; description?: string; instruction?: string; kind?: TaskKind; labels?: string[]};
        tasks.push({
            name: task.name ?? folder,
            instruction: task.instruction ?? task.description ?? "",
            kind: task.kind === "generate" ? "generate" : "classify",
            labels: task.labels ?? [],
            train: await readJsonl(path.join(taskDirectory, "train.jsonl")),
            test: await readJsonl(path.join(taskDirectory, "test.jsonl"))
        });
    }
    return {name: suite.name ?? path.basename(directory), description: suite.description ?? "", tasks};
}

async function readJson(file: string): Promise<unknown> {
    try {
        return JSON.parse(await readFile(file, "utf8"));
    } catch (err) {
        throw new InvalidInputError(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, {file});
    }
}

async function readJsonl(file: string): Promise<{input: string; output: string}[]> {
    const text = await readFile(file, "utf8");
    return text.split("\n").filter((line) => line.trim() !== "").map((line, i) => {
        const value = JSON.parse(line) as {input?: unknown; output?: unknown};
        if (typeof value.input !== "string" || typeof value.output !== "string")
            throw new InvalidInputError(`${file}:${i + 1} needs string "input" and "output".`, {file, line: i + 1});
        return {input: value.input, output: value.output};
    });
}
