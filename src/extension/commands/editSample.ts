import * as vscode from "vscode";
import {ConpetError, InvalidInputError} from "../../vocabulary/errors";
import type {Sample} from "../../vocabulary/types";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";

/** Args for `conpet.editSample` and `conpet.removeSample` when called without UI. */
export type EditSampleArgs = {
    /** The sample's id. */
    sample?: number;
    /** `conpet.editSample`: the new label or expected output. Asked when missing. */
    output?: string;
};

/**
 * A sample's context menu in the sidebar: `Change Label / Output…` fixes a mislabelled example,
 * `Remove Sample` drops it. Either changes the task's training data, so its module goes stale
 * until the next Train.
 */
export function registerEditSampleCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.editSample, async (rawArgs) => {
        const sample = await resolveSample(deps, rawArgs);
        const store = await deps.services.getStore();
        const task = await store.getTask(sample.taskId);
        const output = (getPlainArgs(rawArgs) as EditSampleArgs).output ?? await (task.kind === "classify"
            ? vscode.window.showQuickPick(task.labels.map((label) => ({label, description: label === sample.output ? "current" : undefined})), {
                title: `ConPET: label of "${preview(sample.input)}"`,
                placeHolder: `Which label of "${task.name}" is right?`
            }).then((picked) => picked?.label)
            : vscode.window.showInputBox({
                title: `ConPET: expected output for "${preview(sample.input)}"`,
                value: sample.output,
                validateInput: (value) => value.trim() === "" ? "The expected output cannot be empty." : undefined
            }));
        if (output === undefined || output === sample.output)
            return undefined;
        if (typeof output !== "string")
            throw new InvalidInputError("The output must be a string.");
        const updated = await store.updateSampleOutput(sample.id, output);
        deps.output.info(`Sample ${sample.id} of ${JSON.stringify(task.name)}: ${JSON.stringify(sample.output)} → ${JSON.stringify(output)}`);
        deps.services.notifyDataChanged();
        return updated;
    });

    registerConpetCommand(deps, commandIds.removeSample, async (rawArgs) => {
        const sample = await resolveSample(deps, rawArgs);
        const store = await deps.services.getStore();
        const removed = await store.deleteSamples([sample.id]) === 1;
        deps.output.info(`Sample ${sample.id} removed: ${JSON.stringify(preview(sample.input))}`);
        deps.services.notifyDataChanged();
        return removed;
    });
}

/** The sample of a tree node (`{sample}`) or of the args (`{sample: id}`); refused while a training reads the samples. */
async function resolveSample(deps: CommandDeps, rawArgs: unknown): Promise<Sample> {
    if (deps.training.isRunning)
        throw new ConpetError("TRAINING_BUSY", "A training is running; wait for it or cancel it before changing its samples.");
    const ref = (rawArgs as {sample?: unknown} | undefined)?.sample;
    const id = typeof ref === "number" ? ref : typeof ref === "object" && ref !== null ? (ref as Sample).id : undefined;
    if (typeof id !== "number")
        throw new InvalidInputError("Pick the sample in the ConPET sidebar (under a task's Samples).");
    const sample = await (await deps.services.getStore()).getSample(id);
    if (sample === undefined)
        throw new InvalidInputError(`There is no sample ${id}; it may have been removed.`);
    return sample;
}

function preview(text: string): string {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
