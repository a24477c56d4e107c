import * as vscode from "vscode";
import {ConpetError} from "../../core/errors";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {pickExistingTask} from "./utils/pickTask";
import {getPlainArgs, registerConpetCommand} from "./utils/registerConpetCommand";
import {validateTaskName} from "./utils/validateTaskName";

/** Args for `conpet.renameTask` when called without UI. */
export type RenameTaskArgs = {
    /** Task name or id. Asked when missing. */
    task?: string | number;
    /** The new name. Asked when missing. */
    name?: string;
};

/** `ConPET: Rename Task…`: a new name; the samples and the trained module stay with the task. */
export function registerRenameTaskCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.renameTask, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as RenameTaskArgs;
        if (deps.training.isRunning)
            throw new ConpetError("TRAINING_BUSY", "A training is running; wait for it or cancel it before renaming a task.");
        const task = await pickExistingTask(deps.services, args.task ?? rawArgs, "Rename which task?");
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
}
