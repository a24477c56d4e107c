import * as vscode from "vscode";
import {ConpetError} from "../../vocabulary/errors";
import type {Task} from "../../vocabulary/types";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {pickExistingTask} from "../prompts/pickTask";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";
import {validateTaskName} from "../prompts/validateTaskName";

/** Args for `conpet.renameTask` and `conpet.changeInstruction` when called without UI. */
export type EditTaskArgs = {
    /** Task name or id. Asked when missing. */
    task?: string | number;
    /** `conpet.renameTask`: the new name. Asked when missing. */
    name?: string;
    /** `conpet.changeInstruction`: the new instruction. Asked when missing. */
    instruction?: string;
};

/**
 * A task's context menu in the sidebar. `Rename Task…`: the samples and the trained module stay
 * with the task. `Change Instruction…`: the module learned on the old prompt, so it goes stale and
 * the next Train relearns the task.
 */
export function registerEditTaskCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.renameTask, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as EditTaskArgs;
        const task = await resolveTask(deps, args.task ?? rawArgs, "Rename which task?");
        if (task === undefined)
            return undefined;
        const store = await deps.services.getStore();
        const taken = new Set((await store.listTasks()).filter((other) => other.id !== task.id).map((other) => other.name.toLowerCase()));
        const name = args.name ?? await vscode.window.showInputBox({
            title: `ConPET: rename "${task.name}"`,
            value: task.name,
            validateInput: (value) => validateTaskName(value) ?? (taken.has(value.trim().toLowerCase()) ? "A task with this name exists." : undefined)
        });
        if (name === undefined || name.trim() === task.name)
            return undefined;
        const renamed = await store.updateTask(task.id, {name: name.trim()});
        deps.output.info(`Task renamed: ${JSON.stringify(task.name)} → ${JSON.stringify(renamed.name)}`);
        deps.services.notifyDataChanged();
        return renamed;
    });

    registerConpetCommand(deps, commandIds.changeInstruction, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as EditTaskArgs;
        const task = await resolveTask(deps, args.task ?? rawArgs, "Change the instruction of which task?");
        if (task === undefined)
            return undefined;
        const instruction = args.instruction ?? await vscode.window.showInputBox({
            title: `ConPET: instruction of "${task.name}"`,
            prompt: "The instruction the model gets with each input. Its module is retrained at the next Train.",
            value: task.instruction,
            validateInput: (value) => value.trim() === "" ? "The instruction cannot be empty." : value.length > 2000 ? "Keep the instruction under 2000 characters." : undefined
        });
        if (instruction === undefined || instruction.trim() === task.instruction)
            return undefined;
        const store = await deps.services.getStore();
        const updated = await store.updateTask(task.id, {instruction: instruction.trim()});
        const stale = await store.markTaskModulesStale(task.id);
        deps.output.info(`Instruction of ${JSON.stringify(task.name)} changed${stale > 0 ? "; its module is stale until the next Train" : ""}`);
        deps.services.notifyDataChanged();
        return updated;
    });
}

/** Edits wait for a running training, which reads the task. */
async function resolveTask(deps: CommandDeps, ref: unknown, placeHolder: string): Promise<Task | undefined> {
    if (deps.training.isRunning)
        throw new ConpetError("TRAINING_BUSY", "A training is running; wait for it or cancel it before editing a task.");
    return await pickExistingTask(deps.services, ref, placeHolder);
}
