import path from "node:path";
import * as vscode from "vscode";
import {CancelledError} from "../../vocabulary/errors";
import {curatedModels} from "../../vocabulary/curatedModels";
import {formatBytes} from "../utils/formatBytes";
import type {CommandDeps} from "../commands/CommandDeps";
import {requireTrust} from "../trust/requireTrust";

/** Lets the user pick a model of the curated list and downloads it with a cancellable progress notification. */
export async function downloadCuratedModel(deps: CommandDeps): Promise<string | undefined> {
    requireTrust("Downloading a model");
    const picked = await vscode.window.showQuickPick(
        curatedModels.map((model) => ({label: model.label, description: `${formatBytes(model.approximateSizeBytes)} · ${model.fileType}`, detail: `${model.description} ${model.training}`, model})),
        {placeHolder: "Models are downloaded once into the extension's storage, resumed if interrupted, and verified", ignoreFocusOut: true}
    );
    if (picked === undefined)
        return undefined;
    const directory = path.join(deps.context.globalStorageUri.fsPath, "models");
    return await vscode.window.withProgress(
        {location: vscode.ProgressLocation.Notification, title: `ConPET: downloading ${picked.model.label}`, cancellable: true},
        async (progress, token) => {
            const controller = new AbortController();
            const subscription = token.onCancellationRequested(() => controller.abort());
            let reported = 0;
            try {
                const {modelPath} = await deps.services.getEngine().download({uri: picked.model.uri, directory}, {
                    signal: controller.signal,
                    onProgress: ({done, total}) => {
                        const percent = total > 0 ? (done / total) * 100 : 0;
                        progress.report({increment: percent - reported, message: `${Math.floor(percent)}%`});
                        reported = percent;
                    }
                });
                return modelPath;
            } catch (err) {
                if (controller.signal.aborted)
                    throw new CancelledError("The download was cancelled; it resumes where it stopped next time.");
                throw err;
            } finally {
                subscription.dispose();
            }
        }
    );
}
