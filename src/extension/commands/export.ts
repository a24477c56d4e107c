import * as vscode from "vscode";
import {exportTasks} from "../../core/exportTasks";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {getPlainArgs, registerConpetCommand} from "./utils/registerConpetCommand";

/** Args for `conpet.export` when called without UI. */
export type ExportArgs = {
    /** The folder to write into (created if missing). */
    directory?: string;
    /** Only this task. Defaults to every task. */
    task?: string | number;
};

/**
 * `ConPET: Export…`: task data as JSONL in the chat format fine-tuning tools use, the suite format,
 * and the trained adapters as GGUF files, all with sanitised file names.
 */
export function registerExportCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.export, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as ExportArgs;
        const nodeTask = (rawArgs as {task?: {name?: unknown}} | undefined)?.task;
        const task = args.task ?? (typeof nodeTask?.name === "string" ? nodeTask.name : undefined);
        let directory = args.directory;
        if (directory === undefined) {
            const uris = await vscode.window.showOpenDialog({canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: "Export Here", title: "ConPET: Export"});
            directory = uris?.[0]?.fsPath;
            if (directory === undefined)
                return undefined;
        }
        const store = await deps.services.getStore();
        const taskName = typeof task === "number" ? (await store.getTask(task)).name : task;
        const result = await exportTasks(store, {outDir: directory, task: taskName});
        deps.output.info(`Exported to ${directory}: ${JSON.stringify(result)}`);
        if (args.directory === undefined)
            void vscode.window.showInformationMessage(`ConPET: exported to ${directory}.`, "Reveal").then((picked) => {
                if (picked !== undefined)
                    void vscode.commands.executeCommand("revealFileInOS", vscode.Uri.file(directory));
            });
        return result;
    });
}
