import * as vscode from "vscode";
import type {ModuleRecord} from "../../../vocabulary/types";
import {treeItemContext} from "../../constants";
import {formatBytes} from "../../utils/formatBytes";
import {formatRelativeTime} from "../../utils/formatRelativeTime";
import type {TaskModuleState} from "../../../core/moduleStates/types";
import type {TreeNode} from "./TreeNode";

/** The LoRA module of a task: rank, size, when trained, loss and held-out accuracy. */
export class ModuleNode implements TreeNode {
    public constructor(public readonly module: ModuleRecord, private readonly _state: TaskModuleState) {}

    public getTreeItem(): vscode.TreeItem {
        const {module} = this;
        const item = new vscode.TreeItem(`LoRA module r${module.rank}`, vscode.TreeItemCollapsibleState.None);
        item.id = `module:${module.id}`;
        item.iconPath = new vscode.ThemeIcon(this._state === "missing" ? "error" : this._state === "stale" ? "extensions-warning-message" : "layers");
        item.contextValue = treeItemContext.module;
        const parts = [`trained ${formatRelativeTime(module.trainedAt)}`];
        if (module.metrics.heldOutAccuracy !== undefined)
            parts.push(`acc ${Math.round(module.metrics.heldOutAccuracy * 100)}%`);
        if (module.metrics.finalLoss !== undefined)
            parts.push(`loss ${module.metrics.finalLoss.toFixed(3)}`);
        item.description = parts.join(" · ");
        item.tooltip = [
            `Adapter: ${module.file} (${formatBytes(module.sizeBytes)})`,
            `Trainable parameters: ${module.trainableParameters.toLocaleString("en-US")}`,
            `Rank ${module.rank}, alpha ${module.alpha}, on ${module.targetModules.join(", ")}`,
            `Trained ${new Date(module.trainedAt).toLocaleString()}`
        ].join("\n");
        return item;
    }

    public getChildren(): TreeNode[] {
        return [];
    }
}
