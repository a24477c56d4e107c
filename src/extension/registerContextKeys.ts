import * as vscode from "vscode";
import type {CommandDeps} from "./commands/CommandDeps";
import {contextKeys} from "./constants";
import type {StatusBarController} from "./statusBar/StatusBarController";
import {countTasksToTrain} from "./tasks/countTasksToTrain";
import type {TreeNode} from "./tasks/treeNodes/TreeNode";

/**
 * Keeps the context keys of `when` clauses (model selected, tasks exist, training) and the tree
 * view's badge and message in step with the data; also tells the status bar about engine crashes.
 */
export function registerContextKeys(deps: CommandDeps, treeView: vscode.TreeView<TreeNode>, statusBar: StatusBarController): void {
    const {services, training, tasksModel, output, context} = deps;
    const setContext = (key: string, value: unknown) => void vscode.commands.executeCommand("setContext", key, value);

    const updateModel = () => setContext(contextKeys.hasModel, services.getSettings().modelPath !== "");
    const updateTasks = async () => {
        try {
            const tasks = await tasksModel.getTasks();
            setContext(contextKeys.hasTasks, tasks.length > 0);
            setContext(contextKeys.hasTrainedModules, tasks.some((task) => task.module !== null));
            const pending = countTasksToTrain(tasks);
            treeView.badge = pending > 0 && !training.isRunning ? {value: pending, tooltip: `${pending} ${pending === 1 ? "task" : "tasks"} to train`} : undefined;
            treeView.message = tasks.length > 0 && services.getSettings().modelPath === "" ? "Select a model to train and run these tasks." : undefined;
        } catch (err) {
            output.error(`Reading tasks failed: ${String(err)}`);
            treeView.message = `Cannot read the task store: ${err instanceof Error ? err.message : String(err)}`;
        }
    };
    updateModel();
    void updateTasks();
    setContext(contextKeys.training, false);

    context.subscriptions.push(
        tasksModel.onDidChange(() => void updateTasks()),
        training.onDidChange(() => setContext(contextKeys.training, training.isRunning)),
        vscode.workspace.onDidChangeConfiguration((event) => {
            if (event.affectsConfiguration("conpet")) {
                updateModel();
                statusBar.update();
                // The mode decides which module a task's state is read from.
                tasksModel.refresh();
            }
        }),
        services.onDidCrashEngine((crash) => {
            statusBar.reportEngineCrash();
            deps.errors.report(crash.error, "engine");
        })
    );
}
