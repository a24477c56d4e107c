import * as vscode from "vscode";
import {treeItemContext} from "../../constants";
import type {TaskModuleState} from "../../../core/moduleStates/types";
import type {TaskSummary, TasksModel} from "../TasksModel";
import {formatQuantity} from "../../utils/formatQuantity";
import {describeModuleState} from "../../utils/describeModuleState";
import {escapeMarkdown} from "../../utils/escapeMarkdown";
import {formatPercent} from "../../utils/formatPercent";
import {formatRelativeTime} from "../../utils/formatRelativeTime";
import {ModuleNode} from "./ModuleNode";
import {SamplesNode} from "./SamplesNode";
import type {TreeNode} from "./TreeNode";

const stateIcons: Record<TaskModuleState, vscode.ThemeIcon> = {
    untrained: new vscode.ThemeIcon("circle-large-outline"),
    training: new vscode.ThemeIcon("sync~spin", new vscode.ThemeColor("progressBar.background")),
    ready: new vscode.ThemeIcon("pass-filled", new vscode.ThemeColor("testing.iconPassed")),
    stale: new vscode.ThemeIcon("warning", new vscode.ThemeColor("list.warningForeground")),
    missing: new vscode.ThemeIcon("error", new vscode.ThemeColor("list.errorForeground"))
};

/** A task: its module and its samples below it. `contextValue` is `conpet.task.<state>`. */
export class TaskNode implements TreeNode {
    public constructor(public readonly summary: TaskSummary, private readonly _model: TasksModel) {}

    /**
     * Commands invoked from this node's menus receive the node; they read the task from here
     * (`pickTask` takes any argument with a `task`). Not dead code: every task menu goes through it.
     */
    public get task() {
        return this.summary.task;
    }

    public getTreeItem(): vscode.TreeItem {
        const {task, trainSamples, testSamples, module, state, reason} = this.summary;
        const stateText = describeModuleState(state, reason);
        const item = new vscode.TreeItem(task.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `task:${task.id}`;
        item.iconPath = stateIcons[state];
        item.contextValue = `${treeItemContext.task}.${state}`;
        const {heldOutAccuracy, trainAccuracy} = this.summary;
        const samples = formatQuantity(trainSamples + testSamples, "sample");
        const {pendingCorrections} = this.summary;
        const corrections = pendingCorrections === 0 ? [] : [`${formatQuantity(pendingCorrections, "correction")} waiting`];
        item.description = [samples, this._getStatusText(), ...corrections].join(" · ");
        const tooltip = new vscode.MarkdownString(undefined, true);
        tooltip.appendMarkdown(`**${escapeMarkdown(task.name)}** (${task.kind}) — ${stateText}\n\n`);
        tooltip.appendText(task.instruction);
        tooltip.appendMarkdown(`\n\n${formatQuantity(trainSamples, "training sample")} and ${formatQuantity(testSamples, "held-out sample")}`);
        if (heldOutAccuracy !== null)
            tooltip.appendMarkdown(`\n\nHeld-out accuracy: ${formatPercent(heldOutAccuracy)}`);
        else if (trainAccuracy !== null)
            tooltip.appendMarkdown(`\n\nNo held-out samples, so no held-out accuracy. On its own training samples: ${formatPercent(trainAccuracy)}, which says it learned them, not how it does on new inputs.`);
        if (task.kind === "classify")
            tooltip.appendMarkdown(`\n\nLabels: ${task.labels.map((label) => `\`${escapeMarkdown(label)}\``).join(", ")}`);
        if (module !== null)
            tooltip.appendMarkdown(`\n\nTrained ${formatRelativeTime(module.trainedAt)}`);
        if (pendingCorrections > 0)
            tooltip.appendMarkdown(`\n\n${formatQuantity(pendingCorrections, "correction")} of its answers ${pendingCorrections === 1 ? "waits" : "wait"} for the next training`);
        item.tooltip = tooltip;
        item.accessibilityInformation = {label: [`Task ${task.name}, ${stateText}, ${samples}`, ...corrections].join(", ")};
        return item;
    }

    private _getStatusText(): string {
        const {state, reason, trainSamples, heldOutAccuracy, trainAccuracy} = this.summary;
        if (trainSamples === 0 && state === "untrained")
            return "no training samples yet";
        // A module for another base model is never applied: its accuracy says nothing about this one.
        if ((state !== "ready" && state !== "stale") || reason === "other-base-model")
            return describeModuleState(state, reason);
        if (heldOutAccuracy !== null)
            return `${formatPercent(heldOutAccuracy)} held-out`;
        return trainAccuracy !== null ? "no held-out samples" : describeModuleState(state, reason);
    }

    public getChildren(): TreeNode[] {
        const children: TreeNode[] = [];
        if (this.summary.module !== null)
            children.push(new ModuleNode(this.summary.module, this.summary.state));
        children.push(new SamplesNode(this.summary, this._model));
        return children;
    }
}
