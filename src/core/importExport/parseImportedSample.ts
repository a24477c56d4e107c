import {InvalidInputError} from "../../vocabulary/errors";
import {maxSampleChars} from "../../vocabulary/maxSampleChars";
import type {JsonLine} from "./readJsonLines";
import type {SampleSplit, Task} from "../../vocabulary/types";

export type ImportedSample = {
    input: string;
    output: string;
    split?: SampleSplit;
    /** The `task` field of a line in a mixed JSONL file. */
    task?: string;
};

/**
 * Checks one line of an imported JSONL file: an object with string `input` and `output`, and
 * optionally `split` ("train" | "test") and `task`. Errors name the file and line.
 */
export function parseImportedSample(file: string, {line, value}: JsonLine): ImportedSample {
    const fail = (why: string) => new InvalidInputError(`${file}:${line}: ${why}`, {file, line});
    if (typeof value !== "object" || value === null || Array.isArray(value))
        throw fail(`expected an object like {"input": "…", "output": "…"}.`);
    const {input, output, split, task} = value as Record<string, unknown>;
    if (typeof input !== "string" || input.trim() === "")
        throw fail(`"input" must be a non-empty string.`);
    if (typeof output !== "string" || output === "")
        throw fail(`"output" must be a non-empty string.`);
    if (input.length > maxSampleChars || output.length > maxSampleChars)
        throw fail(`the ${input.length > maxSampleChars ? "input" : "output"} has ${Math.max(input.length, output.length)} characters; a sample can have at most ${maxSampleChars}.`);
    if (split !== undefined && split !== "train" && split !== "test")
        throw fail(`"split" must be "train" or "test", not ${JSON.stringify(split)}.`);
    if (task !== undefined && (typeof task !== "string" || task.trim() === ""))
        throw fail(`"task" must be a task name.`);
    return {input, output, ...(split === undefined ? {} : {split}), ...(task === undefined ? {} : {task: task.trim()})};
}

/** A classify task's answers must be among its labels; the error names the file and line. */
export function checkSampleFitsTask(file: string, line: number, task: Pick<Task, "name" | "kind" | "labels">, output: string): void {
    if (task.kind === "classify" && !task.labels.includes(output))
        throw new InvalidInputError(
            `${file}:${line}: output ${JSON.stringify(output)} is not a label of task ${JSON.stringify(task.name)} (${task.labels.join(", ")}).`,
            {file, line, task: task.name, output}
        );
}
