import * as vscode from "vscode";
import type {Sample, SampleSource} from "../../../vocabulary/types";
import {treeItemContext} from "../../constants";
import type {TreeNode} from "./TreeNode";

const maxLabelLength = 60;

const sourceIcons: Record<SampleSource["kind"], string> = {selection: "selection", import: "file-code", manual: "note", correction: "edit"};

/** One sample; clicking it opens the file and range it was taken from, when it came from a selection. */
export class SampleNode implements TreeNode {
    public constructor(public readonly sample: Sample) {}

    public getTreeItem(): vscode.TreeItem {
        const {sample} = this;
        const item = new vscode.TreeItem(shorten(sample.input), vscode.TreeItemCollapsibleState.None);
        item.id = `sample:${sample.id}`;
        item.description = `→ ${shorten(sample.output)}${sample.split === "test" ? " (held out)" : ""}`;
        item.iconPath = new vscode.ThemeIcon(sourceIcons[sample.source?.kind ?? "manual"]);
        item.contextValue = treeItemContext.sample;
        const source = sample.source;
        const corrected = source?.kind === "correction" && source.answered !== undefined
            ? `\n\nA correction: ConPET had answered ${JSON.stringify(source.answered.output.slice(0, 200))} (${source.answered.task === null ? "the base model" : `task "${source.answered.task}"`}).`
            : "";
        item.tooltip = `${sample.input.slice(0, 2000)}\n\n→ ${sample.output.slice(0, 2000)}${corrected}`;
        if (source?.kind === "selection" && source.file !== undefined) {
            const uri = source.file.includes("://") ? vscode.Uri.parse(source.file) : vscode.Uri.file(source.file);
            const range = source.range === undefined
                ? undefined
                : new vscode.Range(source.range.startLine, source.range.startCharacter, source.range.endLine, source.range.endCharacter);
            item.command = {title: "Open Source", command: "vscode.open", arguments: [uri, range === undefined ? {} : {selection: range}]};
        }
        return item;
    }

    public getChildren(): TreeNode[] {
        return [];
    }
}

function shorten(text: string): string {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > maxLabelLength ? `${line.slice(0, maxLabelLength - 1)}…` : line;
}
