import type * as vscode from "vscode";

/** A node of the tasks tree: it builds its own item and children; `contextValue` drives menus. */
export interface TreeNode {
    getTreeItem(): vscode.TreeItem;
    getChildren(): Promise<TreeNode[]> | TreeNode[];
}
