import * as vscode from "vscode";
import {InvalidInputError} from "../../vocabulary/errors";
import type {Task, TaskKind} from "../../vocabulary/types";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";
import {validateTaskName} from "../prompts/validateTaskName";

/** Args for `conpet.createTask` when called without UI; a missing field is asked for. */
export type CreateTaskArgs = {
    name?: string;
    /** The instruction placed in the prompt. Defaults to the name. */
    instruction?: string;
    /** Defaults to `"classify"` when `labels` are given, else asked. */
    kind?: TaskKind;
    labels?: string[];
};

/** `ConPET: Create Task…`: name, instruction, kind and labels, each validated as it is typed. */
export function registerCreateTaskCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.createTask, async (rawArgs) => {
        const task = await createTaskInteractively(deps, getPlainArgs(rawArgs) as CreateTaskArgs);
        return task;
    });
}

/** Asks for whatever `args` lacks, creates the task, and returns it (`undefined` if dismissed). */
export async function createTaskInteractively(deps: CommandDeps, args: CreateTaskArgs): Promise<Task | undefined> {
    const store = await deps.services.getStore();
    const existing = new Set((await store.listTasks()).map((task) => task.name.toLowerCase()));

    const name = args.name ?? await vscode.window.showInputBox({
        title: "ConPET: Create Task: name",
        prompt: "A short, unique name for the task",
        placeHolder: "e.g. log-level",
        ignoreFocusOut: true,
        validateInput: (value) => validateTaskName(value) ?? (existing.has(value.trim().toLowerCase()) ? "A task with this name exists." : undefined)
    });
    if (name === undefined)
        return undefined;
    const nameProblem = validateTaskName(name);
    if (nameProblem !== undefined)
        throw new InvalidInputError(nameProblem, {name});

    const instruction = args.instruction ?? await vscode.window.showInputBox({
        title: "ConPET: Create Task: instruction",
        prompt: "The instruction the model gets with each input",
        placeHolder: "e.g. Classify this log line by its level",
        value: args.name === undefined ? "" : name,
        ignoreFocusOut: true,
        validateInput: (value) => value.trim() === "" ? "The instruction cannot be empty." : value.length > 2000 ? "Keep the instruction under 2000 characters." : undefined
    });
    if (instruction === undefined)
        return undefined;

    let kind = args.kind ?? (args.labels !== undefined ? "classify" : undefined);
    if (kind === undefined) {
        const picked = await vscode.window.showQuickPick([
            {label: "Classify", description: "the answer is one of a fixed set of labels (scored, never invented)", taskKind: "classify" as const},
            {label: "Generate", description: "the answer is free text (e.g. a rewrite, a docstring)", taskKind: "generate" as const}
        ], {title: "ConPET: Create Task: kind", placeHolder: "What kind of answer?", ignoreFocusOut: true});
        if (picked === undefined)
            return undefined;
        kind = picked.taskKind;
    }
    if (kind !== "classify" && kind !== "generate")
        throw new InvalidInputError(`Unknown task kind ${JSON.stringify(kind)}: use "classify" or "generate".`);

    let labels = args.labels ?? [];
    if (kind === "classify" && args.labels === undefined) {
        const typed = await vscode.window.showInputBox({
            title: "ConPET: Create Task: labels",
            prompt: "The labels, separated by commas",
            placeHolder: "e.g. error, warning, info",
            ignoreFocusOut: true,
            validateInput: (value) => validateLabels(parseLabels(value))
        });
        if (typed === undefined)
            return undefined;
        labels = parseLabels(typed);
    }
    if (kind === "classify") {
        const problem = validateLabels(labels);
        if (problem !== undefined)
            throw new InvalidInputError(problem, {labels});
    } else
        labels = [];

    const task = await store.createTask({name: name.trim(), instruction: instruction.trim() || name.trim(), kind, labels});
    deps.output.info(`Task created: ${JSON.stringify(task.name)} (${task.kind}${task.kind === "classify" ? `: ${task.labels.join(", ")}` : ""})`);
    deps.services.notifyDataChanged();
    return task;
}

function parseLabels(text: string): string[] {
    return text.split(",").map((label) => label.trim()).filter((label) => label !== "");
}

function validateLabels(labels: readonly string[]): string | undefined {
    if (labels.length < 2)
        return "A classification task needs at least two labels.";
    if (new Set(labels).size !== labels.length)
        return "Each label must be different.";
    if (labels.some((label) => label.length > 200 || /[\n\r]/.test(label)))
        return "Labels are single lines of at most 200 characters.";
    return undefined;
}
