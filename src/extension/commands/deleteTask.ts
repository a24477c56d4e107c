import * as vscode from "vscode";
import {ConpetError} from "../../vocabulary/errors";
import {commandIds} from "../constants";
import {formatQuantity} from "../utils/formatQuantity";
import type {CommandDeps} from "./CommandDeps";
import {pickExistingTask} from "../prompts/pickTask";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";

/** Args for `conpet.deleteTask` when called without UI. */
export type DeleteTaskArgs = {
    task?: string | number;
    /** Skip the confirmation dialog. Defaults to `false`. */
    confirmed?: boolean;
};

/** `ConPET: Delete Task…`: after a modal confirmation, deletes the task, its samples and its module. */
export function registerDeleteTaskCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.deleteTask, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as DeleteTaskArgs;
        if (deps.training.isRunning)
            throw new ConpetError("TRAINING_BUSY", "A training is running; cancel it or wait for it to finish before deleting a task.");
        const task = await pickExistingTask(deps.services, args.task ?? rawArgs, "Delete which task?");
        if (task === undefined)
            return false;
        const store = await deps.services.getStore();
        if (args.confirmed !== true) {
            const samples = await store.countSamples({taskId: task.id});
            const module = await store.getModule(task.id, "task-lora");
            const picked = await vscode.window.showWarningMessage(
                `Delete the task "${task.name}"?`,
                {modal: true, detail: `This removes its ${formatQuantity(samples, "sample")}${module === undefined ? "" : " and its trained module"}. It cannot be undone; export it first to keep a copy.`},
                "Delete"
            );
            if (picked !== "Delete")
                return false;
        }
        await store.deleteTask(task.id);
        deps.output.info(`Task deleted: ${JSON.stringify(task.name)}`);
        deps.services.notifyDataChanged();
        return true;
    });
}
