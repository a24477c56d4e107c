import * as vscode from "vscode";
import {TaskNode} from "./treeNodes/TaskNode";
import type {TreeNode} from "./treeNodes/TreeNode";
import type {TasksModel} from "./TasksModel";

/** Maps `TasksModel` to the tree: tasks at the top, each with its module and samples. */
export class TasksTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
    private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeNode | undefined>();
    private readonly _subscription: vscode.Disposable;

    public readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

    /** Redraws the tree each minute, so relative times ("trained 5 min ago") stay true; the data is not reread. */
    private readonly _clock = setInterval(() => this._onDidChangeTreeData.fire(undefined), 60_000);

    public constructor(private readonly _model: TasksModel) {
        this._subscription = _model.onDidChange(() => this._onDidChangeTreeData.fire(undefined));
    }

    public getTreeItem(node: TreeNode): vscode.TreeItem {
        return node.getTreeItem();
    }

    public async getChildren(node?: TreeNode): Promise<TreeNode[]> {
        if (node !== undefined)
            return await node.getChildren();
        const tasks = await this._model.getTasks();
        return tasks.map((summary) => new TaskNode(summary, this._model));
    }

    public dispose(): void {
        clearInterval(this._clock);
        this._subscription.dispose();
        this._onDidChangeTreeData.dispose();
    }
}
