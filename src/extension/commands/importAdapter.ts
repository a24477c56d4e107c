import path from "node:path";
import * as vscode from "vscode";
import {importAdapter} from "../../core/adapters/importAdapter";
import {ConpetError} from "../../vocabulary/errors";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {pickFileOrFolder} from "../prompts/pickFileOrFolder";
import {pickExistingTask} from "../prompts/pickTask";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";
import {requireTrust} from "../trust/requireTrust";

/** Args for `conpet.importAdapter` when called without UI. */
export type ImportAdapterArgs = {
    /** A llama.cpp LoRA adapter (`.gguf`), or a PEFT adapter folder (or its `adapter_config.json` / `adapter_model.safetensors`). */
    path?: string;
    /** The task (name or id) whose module it becomes. */
    task?: string | number;
};

/**
 * `ConPET: Import Adapter…` (palette, a task's context menu): a LoRA adapter trained elsewhere
 * becomes the task's module for the selected base model, checked against it first. Trusted
 * workspaces only: llama.cpp parses the adapter when it is used.
 */
export function registerImportAdapterCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.importAdapter, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as ImportAdapterArgs;
        requireTrust("Importing an adapter");
        const modelPath = deps.services.getSettings().modelPath;
        if (modelPath === "")
            throw new ConpetError("MODEL_NOT_SELECTED", "Select the base model the adapter was trained on first (\"ConPET: Select Model…\"): the adapter is checked against it and becomes a module for it.");
        const task = await pickExistingTask(deps.services, args.task ?? rawArgs, "Import the adapter as the module of which task?");
        if (task === undefined)
            return undefined;
        const adapterPath = args.path ?? await pickAdapterPath();
        if (adapterPath === undefined)
            return undefined;
        const store = await deps.services.getStore();
        const result = await vscode.window.withProgress(
            {location: vscode.ProgressLocation.Notification, title: `ConPET: importing ${path.basename(adapterPath)} into "${task.name}"`, cancellable: true},
            async (_progress, token) => {
                const controller = new AbortController();
                const subscription = token.onCancellationRequested(() => controller.abort());
                try {
                    return await importAdapter(store, {task: task.id, adapterPath, modelPath, signal: controller.signal});
                } finally {
                    subscription.dispose();
                }
            }
        );
        deps.output.info(`Imported the adapter ${adapterPath} into "${task.name}": ${JSON.stringify(result)}`);
        deps.services.notifyDataChanged();
        void vscode.window.showInformationMessage(
            `ConPET: "${task.name}" now uses the imported ${result.format === "peft" ? "PEFT" : "GGUF"} adapter (rank ${result.module.rank}, ${result.module.targetModules.join(", ")})${result.replaced ? " instead of its previous module" : ""}.`
        );
        return result;
    });
}

function pickAdapterPath(): Promise<string | undefined> {
    return pickFileOrFolder({
        file: {label: "$(file-binary) A llama.cpp LoRA adapter (.gguf)…", filters: {"GGUF adapters": ["gguf"]}},
        folder: {label: "$(folder) A PEFT adapter folder…", description: "adapter_config.json + adapter_model.safetensors"},
        placeHolder: "Import an adapter trained elsewhere",
        title: "ConPET: Import Adapter"
    });
}
