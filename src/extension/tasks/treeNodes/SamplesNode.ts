import * as vscode from "vscode";
import {treeItemContext} from "../../constants";
import type {TaskSummary, TasksModel} from "../TasksModel";
import {SampleNode} from "./SampleNode";
import type {TreeNode} from "./TreeNode";

/** How many samples the tree lists; the rest are counted, not listed, to keep the tree fast. */
const listedSamples = 100;

export class SamplesNode implements TreeNode {
    public constructor(private readonly _summary: TaskSummary, private readonly _model: TasksModel) {}

    public getTreeItem(): vscode.TreeItem {
        const {trainSamples, testSamples, task} = this._summary;
        const total = trainSamples + testSamples;
        const item = new vscode.TreeItem("Samples", total === 0 ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `samples:${task.id}`;
        item.iconPath = new vscode.ThemeIcon("symbol-array");
        item.contextValue = treeItemContext.samples;
        item.description = total === 0 ? "none yet: add a selection or import" : `${trainSamples} train · ${testSamples} held out`;
        return item;
    }

    public async getChildren(): Promise<TreeNode[]> {
        const samples = await this._model.getSamples(this._summary.task.id, listedSamples);
        const nodes: TreeNode[] = samples.map((sample) => new SampleNode(sample));
        const total = this._summary.trainSamples + this._summary.testSamples;
        if (total > samples.length) {
            const more = new vscode.TreeItem(`… ${total - samples.length} more`);
            more.id = `samples-more:${this._summary.task.id}`;
            nodes.push({getTreeItem: () => more, getChildren: () => []});
        }
        return nodes;
    }
}
