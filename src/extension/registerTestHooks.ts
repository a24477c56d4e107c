import * as vscode from "vscode";
import type {CommandDeps} from "./commands/CommandDeps";
import {testCommandIds} from "./constants";
import {recordChatRequest, type RecordChatRequestArgs} from "./chat/participant/recordChatRequest";
import {countTasksToTrain} from "./tasks/countTasksToTrain";
import {TaskNode} from "./tasks/treeNodes/TaskNode";

/**
 * The internal `conpet._test.*` commands (documented in `constants.ts`), registered only when
 * `CONPET_TEST_HOOKS=1`: UI tests read the extension's state through them instead of scraping
 * the DOM, and find the engine process to kill it.
 */
export function registerTestHooks(deps: CommandDeps): void {
    const {services, training, trainingElsewhere, tasksModel, errors, panel, lastAnswer, context} = deps;
    const register = (id: string, handler: () => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, handler));

    register(testCommandIds.getEnginePid, () => services.engineIfStarted?.pid ?? null);
    register(testCommandIds.getStorePath, () => services.storeDirectory);
    register(testCommandIds.getLastError, () => errors.lastError);
    register(testCommandIds.getLastResult, () => lastAnswer.value);
    register(testCommandIds.getPanelState, () => panel.lastState);
    context.subscriptions.push(vscode.commands.registerCommand(testCommandIds.chat, (args: RecordChatRequestArgs) => recordChatRequest(deps, args)));
    register(testCommandIds.getStatus, async () => {
        const tasks = await tasksModel.getTasks();
        return {
            modelPath: services.getSettings().modelPath,
            storePath: services.storeDirectory,
            trusted: vscode.workspace.isTrusted,
            training: training.isRunning,
            /** What the status bar says while another process trains the store, or null. */
            trainingElsewhere: trainingElsewhere.text,
            engineRunning: services.engineIfStarted?.pid !== undefined && services.engineIfStarted.pid !== null,
            modelInfo: services.modelInfo,
            /** What "Enable GPU Acceleration" installed, as `readInstalledGpuBackend` reads it. */
            gpuBackend: services.getInstalledGpuBackend(),
            panelOpen: panel.isOpen,
            /** What the sidebar's badge counts: tasks waiting to be trained. */
            tasksToTrain: countTasksToTrain(tasks),
            tasks: tasks.map((summary) => ({
                name: summary.task.name,
                kind: summary.task.kind,
                state: summary.state,
                trainSamples: summary.trainSamples,
                testSamples: summary.testSamples,
                moduleId: summary.module?.id ?? null,
                heldOutAccuracy: summary.heldOutAccuracy,
                /** The sidebar's text beside the task's name. */
                description: new TaskNode(summary, tasksModel).getTreeItem().description
            })),
            lastError: errors.lastError,
            lastResult: lastAnswer.value
        };
    });
}
