import {InvalidInputError} from "./errors";
import type {NewTask} from "./types";

export const maxTaskNameLength = 100;

/** Throws `INVALID_INPUT` unless `name` can name a task. Returns it trimmed. */
export function validateTaskName(name: unknown): string {
    if (typeof name !== "string" || name.trim() === "")
        throw new InvalidInputError("A task name must not be empty.");
    const trimmed = name.trim();
    if (Array.from(trimmed).length > maxTaskNameLength)
        throw new InvalidInputError(`A task name can have at most ${maxTaskNameLength} characters; this one has ${Array.from(trimmed).length}.`, {name: trimmed});
    // Control characters break the tree view, the CLI's tables and file names derived from the name.
    if (/\p{Cc}/u.test(trimmed))
        throw new InvalidInputError(`The task name ${JSON.stringify(trimmed)} contains control characters (a newline or tab, for example).`, {name: trimmed});
    return trimmed;
}

/** Validates a complete task definition and returns it normalised (trimmed name, `labels` set). */
export function validateNewTask(task: NewTask): Required<NewTask> {
    const name = validateTaskName(task.name);
    if (typeof task.instruction !== "string" || task.instruction.trim() === "")
        throw new InvalidInputError(`Task ${JSON.stringify(name)} needs an instruction, e.g. "Classify this log line".`, {name});
    if (task.kind !== "classify" && task.kind !== "generate")
        throw new InvalidInputError(`Task ${JSON.stringify(name)} has kind ${JSON.stringify(task.kind)}; use "classify" or "generate".`, {name});
    const labels = task.labels ?? [];
    if (!Array.isArray(labels) || labels.some((label) => typeof label !== "string" || label.trim() === ""))
        throw new InvalidInputError(`The labels of task ${JSON.stringify(name)} must be non-empty strings.`, {name});
    // Labels are shown and typed as a comma-separated list, and an answer is one line.
    const unfit = labels.find((label) => /[\p{Cc},]/u.test(label));
    if (unfit !== undefined)
        throw new InvalidInputError(`The label ${JSON.stringify(unfit)} of task ${JSON.stringify(name)} contains a comma or a line break (or another control character); a label is one line without commas.`, {name, label: unfit});
    if (task.kind === "classify") {
        if (new Set(labels).size !== labels.length)
            throw new InvalidInputError(`The labels of task ${JSON.stringify(name)} repeat a label.`, {name, labels});
        if (labels.length < 2)
            throw new InvalidInputError(`A classify task needs at least two labels; ${JSON.stringify(name)} has ${labels.length}.`, {name, labels});
    } else if (labels.length > 0)
        throw new InvalidInputError(`Task ${JSON.stringify(name)} generates free text, so it takes no labels; use kind "classify" for labels.`, {name});
    return {name, instruction: task.instruction.trim(), kind: task.kind, labels: [...labels]};
}
