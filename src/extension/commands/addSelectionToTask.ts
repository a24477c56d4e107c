import * as vscode from "vscode";
import {InvalidInputError} from "../../vocabulary/errors";
import type {SampleSplit, Task} from "../../vocabulary/types";
import {commandIds, maxSampleBytes} from "../constants";
import {formatQuantity} from "../utils/formatQuantity";
import type {CommandDeps} from "./CommandDeps";
import {createTaskInteractively, type CreateTaskArgs} from "./createTask";
import {getSelectionInput} from "../prompts/getSelectionInput";
import {toRunAnswer} from "../answers/toRunAnswer";
import {askTaskOutput, type OutputHint} from "../prompts/askTaskOutput";
import {pickTask} from "../prompts/pickTask";
import {formatPercent} from "../utils/formatPercent";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";

/** Workspace state: the task the last sample was added to, offered first next time. */
const lastTaskKey = "conpet.lastTaskId";

/** Args for `conpet.addSelectionToTask` when called without UI. */
export type AddSelectionToTaskArgs = {
    /** Task name or id. Asked when missing. */
    task?: string | number;
    /** Creates this task first when no task with `task`'s name exists. */
    createTask?: CreateTaskArgs;
    /** The expected answer: one of the task's labels, or the output text. Asked when missing. */
    output?: string;
    /** Use this text instead of the editor's selection. */
    input?: string;
    /** Defaults to `"train"`. */
    split?: SampleSplit;
};

/**
 * `ConPET: Add Selection to Task…`: the selection becomes a sample's input; the user picks (or
 * creates) the task and then the label, or types the expected output. The sample keeps the
 * file and range it came from.
 */
export function registerAddSelectionToTaskCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.addSelectionToTask, (rawArgs) => addSelectionToTask(deps, rawArgs));
}

/** What `conpet.addSelectionToTask` stored; `undefined` when the user dismissed a prompt. */
export type AddedSample = {task: string; taskId: number; input: string; output: string; split: SampleSplit; samples: number};

/** The command's work (also `@conpet /add`'s): `rawArgs` are its args, or a tree node. */
export async function addSelectionToTask(deps: CommandDeps, rawArgs: unknown): Promise<AddedSample | undefined> {
    const args = getPlainArgs(rawArgs) as AddSelectionToTaskArgs;
    const {text, source} = getSelectionInput(args.input, maxSampleBytes, "a sample");
    const task = await resolveTask(deps, rawArgs, args);
    if (task === undefined)
        return undefined;
    const output = args.output ?? await askTaskOutput(task, text, {hint: await suggestLabel(deps, task, text)});
    if (output === undefined)
        return undefined;
    if (task.kind === "classify" && !task.labels.includes(output))
        throw new InvalidInputError(`${JSON.stringify(output)} is not a label of ${JSON.stringify(task.name)}; use one of: ${task.labels.join(", ")}.`, {labels: task.labels});
    if (task.kind === "generate" && output.trim() === "")
        throw new InvalidInputError("The expected output is empty. Type what the model should answer for this input.");
    if (Buffer.byteLength(output, "utf8") > maxSampleBytes)
        throw new InvalidInputError("The expected output is longer than 64 KB; shorten it.");
    const split = args.split ?? "train";
    if (split !== "train" && split !== "test")
        throw new InvalidInputError(`Unknown split ${JSON.stringify(split)}: use "train" or "test".`);

    const store = await deps.services.getStore();
    await store.addSamples(task.id, [{input: text, output, split, source}], {cap: deps.services.getSettings().maxSamplesPerTask});
    await deps.context.workspaceState.update(lastTaskKey, task.id);
    const count = await store.countSamples({taskId: task.id});
    deps.output.info(`Sample added to ${JSON.stringify(task.name)} (${split}): ${JSON.stringify(text.slice(0, 80))} → ${JSON.stringify(output.slice(0, 80))}`);
    deps.services.notifyDataChanged();
    vscode.window.setStatusBarMessage(`$(check) ConPET: added to "${task.name}" (${formatQuantity(count, "sample")})`, 4000);
    return {task: task.name, taskId: task.id, input: text, output, split, samples: count};
}

async function resolveTask(deps: CommandDeps, rawArg: unknown, args: AddSelectionToTaskArgs): Promise<Task | undefined> {
    if (args.createTask !== undefined) {
        const store = await deps.services.getStore();
        const name = args.createTask.name ?? (typeof args.task === "string" ? args.task : undefined);
        const existing = name === undefined ? undefined : await store.findTask(name);
        if (existing !== undefined && existing !== null)
            return existing;
        return await createTaskInteractively(deps, {...args.createTask, name});
    }
    const picked = await pickTask(deps.services, args.task !== undefined ? args.task : rawArg, {
        placeHolder: "Add the selection to which task?",
        allowCreate: true,
        preferredTaskId: deps.context.workspaceState.get<number>(lastTaskKey)
    });
    if (picked === "create")
        return await createTaskInteractively(deps, {});
    return picked;
}

/**
 * The label the task's module gives the input now, when it has a module and the model may run: offered
 * first, so confirming it is one keypress. Nothing (and a log line) when it cannot be had.
 */
async function suggestLabel(deps: CommandDeps, task: Task, input: string): Promise<OutputHint | undefined> {
    if (task.kind !== "classify" || !vscode.workspace.isTrusted || deps.services.getSettings().modelPath === "")
        return undefined;
    const summary = (await deps.tasksModel.getTasks()).find((candidate) => candidate.task.id === task.id);
    if (summary === undefined || summary.module === null)
        return undefined;
    try {
        const conpet = await deps.services.getConpet();
        const prediction = await vscode.window.withProgress({location: vscode.ProgressLocation.Window, title: "ConPET: suggesting a label…"}, () => conpet.runTask(task, input));
        const answer = toRunAnswer(input, prediction, false, task.name);
        return {output: answer.output, description: `the module's answer${answer.answerProbability === null ? "" : ` (${formatPercent(answer.answerProbability)} likely)`}`, place: "first"};
    } catch (err) {
        deps.output.warn(`No suggested label for ${JSON.stringify(task.name)}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
    }
}
