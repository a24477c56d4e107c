import path from "node:path";
import * as vscode from "vscode";
import {conpetSettingsSchema} from "../../core/settings/conpetSettingsSchema";
import {configSection, commandIds} from "../constants";
import {checkModelFile} from "../services/checkModelFile";
import type {CommandDeps} from "./CommandDeps";
import {downloadCuratedModel} from "../models/downloadCuratedModel";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";
import {requireTrust} from "../trust/requireTrust";

/** Args for `conpet.selectModel` when called without UI. */
export type SelectModelArgs = {
    /** A local `.gguf` file; checked before it is saved in `conpet.modelPath`. */
    path?: string;
    /** Also load it in the engine now (reports the backend). Defaults to `false`. */
    load?: boolean;
};

/**
 * `ConPET: Select Model…`: a local `.gguf` file (checked: exists, GGUF) or a model from the curated
 * list, downloaded with progress. The choice is saved in the user setting `conpet.modelPath`.
 */
export function registerSelectModelCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.selectModel, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as SelectModelArgs;
        const load = args.load === true || typeof args.path !== "string";
        // llama.cpp parses the whole file: a crafted GGUF is an attack surface, so only a trusted workspace
        // loads one. Refused before anything is picked or saved.
        if (load)
            requireTrust("Loading a model");
        let modelPath = typeof args.path === "string" ? args.path : await pickModelPath(deps);
        if (modelPath === undefined)
            return undefined;
        modelPath = path.resolve(modelPath);
        await checkModelFile(modelPath);
        await vscode.workspace.getConfiguration(configSection).update(conpetSettingsSchema.modelPath.contributed.key, modelPath, vscode.ConfigurationTarget.Global);
        deps.output.info(`Model selected: ${modelPath}`);
        if (load)
            await loadModel(deps, modelPath);
        return modelPath;
    });
}

async function pickModelPath(deps: CommandDeps): Promise<string | undefined> {
    type Item = vscode.QuickPickItem & {action: "browse" | "download" | "current"};
    const current = deps.services.getSettings().modelPath;
    const items: Item[] = [
        {label: "$(folder-opened) Choose a local .gguf file…", action: "browse"},
        {label: "$(cloud-download) Download a small model…", description: "curated list; the only time ConPET uses the network", action: "download"}
    ];
    if (current !== "")
        items.unshift({label: `$(check) ${path.basename(current)}`, description: "current model", detail: current, action: "current"});
    const picked = await vscode.window.showQuickPick(items, {placeHolder: "Pick the base model ConPET trains its task modules on", ignoreFocusOut: true});
    if (picked === undefined)
        return undefined;
    if (picked.action === "current")
        return current;
    if (picked.action === "download")
        return await downloadCuratedModel(deps);
    const uris = await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: false,
        filters: {"GGUF models": ["gguf"], "All files": ["*"]},
        openLabel: "Use This Model",
        title: "ConPET: Select Model"
    });
    return uris?.[0]?.fsPath;
}

async function loadModel(deps: CommandDeps, modelPath: string): Promise<void> {
    const settings = deps.services.getSettings();
    await vscode.window.withProgress({location: vscode.ProgressLocation.Notification, title: `ConPET: loading ${path.basename(modelPath)}`}, async () => {
        const info = await deps.services.getEngine().load({modelPath, gpuLayers: settings.gpuLayers, threads: settings.threads});
        await deps.services.refreshModelInfo();
        // After a switch, tasks learned only on the previous model have no module for this one: say so, with the way out.
        const otherBase = (await deps.tasksModel.getTasks()).filter((summary) => summary.reason === "other-base-model").length;
        const retrain = otherBase === 0 ? [] : ["Retrain All Tasks"];
        void vscode.window.showInformationMessage(
            `ConPET: ${path.basename(modelPath)} loaded on ${info.backend.toUpperCase()}${info.gpuLayers > 0 ? ` (${info.gpuLayers}/${info.layers} layers offloaded)` : ""}.`
            + (otherBase === 0 ? "" : ` ${otherBase === 1 ? "1 task was" : `${otherBase} tasks were`} trained on another base model; retraining them for this one uses their stored samples.`),
            ...retrain
        ).then((picked) => {
            if (picked !== undefined)
                void vscode.commands.executeCommand(commandIds.retrainAll);
        });
    });
}
