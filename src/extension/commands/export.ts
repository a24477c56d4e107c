import * as vscode from "vscode";
import {exportTasks} from "../../core/importExport/exportTasks";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {pickExistingTask} from "../prompts/pickTask";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";

/** Args for `conpet.export` when called without UI. */
export type ExportArgs = {
    /** The folder to write into (created if missing). */
    directory?: string;
    /** Only this task. Defaults to every task. */
    task?: string | number;
};

/**
 * `ConPET: Export…` (palette, the sidebar's "…" menu): every task, unless the args name one. VS Code
 * hands view-title commands the focused tree item, so a tree node is never read as a filter here.
 * `Export Task…` (a task's context menu) exports the task it was invoked on. Both write task data as
 * JSONL in the chat format fine-tuning tools use, the suite format, and the trained adapters as GGUF
 * files (and, for the selected base model, as PEFT adapter folders), all with sanitised file names.
 */
export function registerExportCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.export, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as ExportArgs;
        return await exportInteractively(deps, args.task, args.directory);
    });
    registerConpetCommand(deps, commandIds.exportTask, async (rawArgs) => {
        const task = await pickExistingTask(deps.services, rawArgs, "Export which task?");
        return task === undefined ? undefined : await exportInteractively(deps, task.name, getPlainArgs(rawArgs).directory as string | undefined);
    });
}

async function exportInteractively(deps: CommandDeps, task: string | number | undefined, given: string | undefined): Promise<unknown> {
    const asked = given === undefined;
    const directory = given ?? (await vscode.window.showOpenDialog({
        canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: "Export Here",
        title: task === undefined ? "ConPET: Export every task" : `ConPET: Export "${task}"`
    }))?.[0]?.fsPath;
    if (directory === undefined)
        return undefined;
    const store = await deps.services.getStore();
    const taskName = typeof task === "number" ? (await store.getTask(task)).name : task;
    // With the selected base model, adapters trained on it are also written in PEFT format.
    const modelPath = deps.services.getSettings().modelPath;
    const result = await exportTasks(store, {outDir: directory, task: taskName, modelPath: modelPath === "" ? undefined : modelPath});
    deps.output.info(`Exported to ${directory}: ${JSON.stringify(result)}`);
    // Adapters whose files are missing or damaged were left out; the rest of the export is whole.
    for (const warning of result.warnings) {
        deps.output.warn(warning);
        void vscode.window.showWarningMessage(`ConPET: ${warning}`, "Train").then((picked) => {
            if (picked !== undefined)
                void vscode.commands.executeCommand(commandIds.train);
        });
    }
    if (asked)
        void showExported(directory, result.tasks.length);
    return result;
}

/** "Reveal" opens the OS file manager, which only exists where VS Code runs locally; "Copy Path" works everywhere. */
async function showExported(directory: string, tasks: number): Promise<void> {
    const buttons = vscode.env.remoteName === undefined ? ["Reveal", "Copy Path"] : ["Copy Path"];
    const picked = await vscode.window.showInformationMessage(`ConPET: exported ${tasks === 1 ? "1 task" : `${tasks} tasks`} to ${directory}.`, ...buttons);
    if (picked === "Reveal")
        await vscode.commands.executeCommand("revealFileInOS", vscode.Uri.file(directory));
    else if (picked === "Copy Path")
        await vscode.env.clipboard.writeText(directory);
}
