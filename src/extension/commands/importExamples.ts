import {stat} from "node:fs/promises";
import path from "node:path";
import * as vscode from "vscode";
import {InvalidInputError} from "../../vocabulary/errors";
import {importExamples} from "../../core/importExport/importExamples";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {pickFileOrFolder} from "../prompts/pickFileOrFolder";
import {pickExistingTask} from "../prompts/pickTask";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";
import {requireTrust} from "../trust/requireTrust";

/** Args for `conpet.importExamples` when called without UI. */
export type ImportExamplesArgs = {
    /** A suite folder (`suite.json` + task folders) or a `.jsonl` file. */
    path?: string;
    /** For a JSONL file whose lines have no `task` field: the task they belong to. */
    task?: string | number;
};

/**
 * `ConPET: Import Examples…`: a suite folder creates its tasks with their train and held-out
 * samples; a JSONL file adds `{input, output}` lines to a task (or to the task each line names).
 * A malformed line stops the import with its file and line number, and nothing is half-imported.
 */
export function registerImportExamplesCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.importExamples, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as ImportExamplesArgs;
        requireTrust("Importing examples");
        const target = args.path ?? await pickImportPath();
        if (target === undefined)
            return undefined;
        const info = await stat(target).catch(() => undefined);
        if (info === undefined)
            throw new InvalidInputError(`Nothing to import at ${target}: the file or folder does not exist.`);
        const store = await deps.services.getStore();
        let taskName: string | undefined;
        if (info.isFile() && args.task === undefined && await needsTask(target)) {
            const task = await pickExistingTask(deps.services, undefined, `Add the examples of ${path.basename(target)} to which task?`);
            if (task === undefined)
                return undefined;
            taskName = task.name;
        } else if (args.task !== undefined)
            taskName = typeof args.task === "number" ? (await store.getTask(args.task)).name : args.task;

        const result = await vscode.window.withProgress(
            {location: vscode.ProgressLocation.Notification, title: `ConPET: importing ${path.basename(target)}`},
            () => importExamples(store, target, {task: taskName, cap: deps.services.getSettings().maxSamplesPerTask})
        );
        deps.output.info(`Imported ${target}: ${JSON.stringify(result)}`);
        deps.services.notifyDataChanged();
        const summary = result.tasks.map((task) => `${task.name} (+${task.added})`).join(", ");
        void vscode.window.showInformationMessage(`ConPET: imported ${summary}.`, "Train").then((picked) => {
            if (picked !== undefined)
                void vscode.commands.executeCommand(commandIds.train);
        });
        return result;
    });
}

function pickImportPath(): Promise<string | undefined> {
    return pickFileOrFolder({
        file: {label: "$(file) A JSONL file…", description: "{\"input\", \"output\"} lines, optionally with \"task\"", filters: {"JSON Lines": ["jsonl", "json"]}},
        folder: {label: "$(folder) A suite folder…", description: "suite.json with a folder per task (train.jsonl, test.jsonl)"},
        placeHolder: "Import examples from…",
        title: "ConPET: Import Examples"
    });
}

/** Whether a JSONL file's first line lacks a `task` field, so the user must name the task. */
async function needsTask(file: string): Promise<boolean> {
    const {open} = await import("node:fs/promises");
    const handle = await open(file, "r");
    try {
        const buffer = Buffer.alloc(64 * 1024);
        const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0);
        const firstLine = buffer.subarray(0, bytesRead).toString("utf8").split("\n").find((line) => line.trim() !== "");
        if (firstLine === undefined)
            return false;
        const parsed = JSON.parse(firstLine) as unknown;
        return typeof parsed !== "object" || parsed === null || typeof (parsed as {task?: unknown}).task !== "string";
    } catch {
        // A malformed first line is reported by the import itself, with its line number.
        return false;
    } finally {
        await handle.close();
    }
}
