import path from "node:path";
import * as vscode from "vscode";
import {trainerBinaryRelativePath} from "../trainer/resolveTrainerBinaryPath";
import {PendingAnswer} from "./answers/PendingAnswer";
import {registerAddSelectionToTaskCommands} from "./commands/addSelectionToTask";
import {registerApplyAnswerCommands} from "./commands/applyAnswer";
import {registerChat} from "./chat/registerChat";
import {registerCodeActions} from "./codeActions/registerCodeActions";
import {registerCorrectAnswerCommands} from "./commands/correctAnswer";
import type {CommandDeps} from "./commands/CommandDeps";
import {registerCreateTaskCommands} from "./commands/createTask";
import {registerDeleteTaskCommands} from "./commands/deleteTask";
import {registerEditSampleCommands} from "./commands/editSample";
import {registerEditTaskCommands} from "./commands/editTask";
import {registerExportCommands} from "./commands/export";
import {registerGpuAccelerationCommands} from "./commands/gpuAcceleration";
import {registerImportAdapterCommands} from "./commands/importAdapter";
import {registerImportExamplesCommands} from "./commands/importExamples";
import {registerOpenPanelCommands} from "./commands/openPanel";
import {registerRunOnSelectionCommands} from "./commands/runOnSelection";
import {registerRunTaskCommands} from "./commands/runTask";
import {registerSelectModelCommands} from "./commands/selectModel";
import {registerShowLogsCommands} from "./commands/showLogs";
import {registerTrainCommands} from "./commands/train";
import {outputChannelName, testHooksEnvVar, viewIds} from "./constants";
import {ErrorReporter} from "./errors/ErrorReporter";
import {registerGpuAccelerationOffer} from "./gpu/registerGpuAccelerationOffer";
import {PanelController} from "./panel/PanelController";
import {resolveEngineEntryPath} from "../engine/client/resolveEngineEntryPath";
import {resolvePinnedBackendsPath} from "../gpuBackend/readPinnedBackendPackages";
import {ConpetServices, resolveStoreDirectory} from "./services/ConpetServices";
import {getExtensionSettings} from "./settings/getExtensionSettings";
import {registerContextKeys} from "./registerContextKeys";
import {refuseMisplacedHost} from "./remote/refuseMisplacedHost";
import {StatusBarController} from "./statusBar/StatusBarController";
import {TasksModel} from "./tasks/TasksModel";
import {TasksTreeProvider} from "./tasks/TasksTreeProvider";
import {registerTestHooks} from "./registerTestHooks";
import {TrainingElsewhere} from "./training/TrainingElsewhere";
import {TrainingState} from "./training/TrainingState";

// Kept only so that `deactivate` can end the child processes even if VS Code skips the subscriptions.
let services: ConpetServices | undefined;

/** Wires the parts together; nothing here starts a process or loads a model. */
export function activate(context: vscode.ExtensionContext): void {
    if (refuseMisplacedHost(context))
        return;
    const output = vscode.window.createOutputChannel(outputChannelName, {log: true});
    context.subscriptions.push(output);

    const warned = new Set<string>();
    const getSettings = () => getExtensionSettings((key, value) => {
        if (warned.has(key))
            return;
        warned.add(key);
        output.warn(`Ignoring invalid setting ${key} = ${JSON.stringify(value)}; using its default.`);
        void vscode.window.showWarningMessage(`ConPET: the setting ${key} has an invalid value (${JSON.stringify(value)}); its default is used.`, "Open Settings").then((picked) => {
            if (picked !== undefined)
                void vscode.commands.executeCommand("workbench.action.openSettings", key);
        });
    });
    const settings = getSettings();
    const storeDirectory = resolveStoreDirectory(settings, context.globalStorageUri);
    output.info(`Store: ${storeDirectory}; model: ${settings.modelPath === "" ? "none" : `${settings.modelPath} (${settings.modelPathSource})`}`);

    services = new ConpetServices({
        storeDirectory,
        engineEntryPath: resolveEngineEntryPath(),
        // From the extension's own folder, which is the package root wherever VS Code installed it.
        trainerBinaryPath: process.env.CONPET_TRAINER || path.join(context.extensionPath, trainerBinaryRelativePath),
        // Beside the store, in the extension's own global storage whatever conpet.storageLocation says: the backend
        // belongs to this installation of the extension (its node-llama-cpp version), not to a store.
        gpuBackend: {root: path.join(context.globalStorageUri.fsPath, "gpu-backend"), pinsPath: resolvePinnedBackendsPath(context.extensionPath)},
        getSettings,
        output
    });
    const training = new TrainingState();
    const errors = new ErrorReporter(output);
    const tasksModel = new TasksModel(services, training);
    const lastAnswer: CommandDeps["lastAnswer"] = {value: null};
    const lastCorrectable: CommandDeps["lastCorrectable"] = {value: null};
    const pendingAnswer = new PendingAnswer();
    const trainingElsewhere = new TrainingElsewhere(services, training);
    const panel = new PanelController(context.extensionUri, {services, tasksModel, training, trainingElsewhere, lastAnswer}, errors);
    const statusBar = new StatusBarController(services, training, trainingElsewhere);
    const treeProvider = new TasksTreeProvider(tasksModel);
    const treeView = vscode.window.createTreeView(viewIds.tasks, {treeDataProvider: treeProvider, showCollapseAll: true});
    context.subscriptions.push(services, training, trainingElsewhere, tasksModel, treeProvider, treeView, statusBar, panel, pendingAnswer);

    const deps: CommandDeps = {context, services, training, trainingElsewhere, tasksModel, errors, output, panel, lastAnswer, pendingAnswer, lastCorrectable};
    registerSelectModelCommands(deps);
    registerCreateTaskCommands(deps);
    registerAddSelectionToTaskCommands(deps);
    registerImportExamplesCommands(deps);
    registerImportAdapterCommands(deps);
    registerTrainCommands(deps);
    registerRunOnSelectionCommands(deps);
    registerRunTaskCommands(deps);
    registerApplyAnswerCommands(deps);
    registerOpenPanelCommands(deps);
    registerDeleteTaskCommands(deps);
    registerEditTaskCommands(deps);
    registerEditSampleCommands(deps);
    registerExportCommands(deps);
    registerShowLogsCommands(deps);
    registerGpuAccelerationCommands(deps);
    registerGpuAccelerationOffer(deps);
    registerCorrectAnswerCommands(deps);
    registerChat(deps);
    registerCodeActions(deps);
    registerContextKeys(deps, treeView, statusBar);

    if (process.env[testHooksEnvVar] === "1")
        registerTestHooks(deps);

    context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration("conpet.storageLocation"))
            void vscode.window.showInformationMessage("ConPET: the storage location changes after a reload.", "Reload Window").then((picked) => {
                if (picked !== undefined)
                    void vscode.commands.executeCommand("workbench.action.reloadWindow");
            });
    }));
}

/** Ends the engine and trainer processes (VS Code also disposes `context.subscriptions`). */
export function deactivate(): void {
    services?.dispose();
    services = undefined;
}
