import * as vscode from "vscode";
import {InvalidInputError} from "../../vocabulary/errors";
import type {SelectionTarget} from "../prompts/getSelectionInput";
import type {RunAnswer} from "./RunAnswer";

/**
 * Replaces the answered range, or inserts below its last line, in its document; refuses when that
 * text changed since it was answered. The user's selection is left where it is.
 */
export async function applyAnswer(answer: RunAnswer, {editor, range}: SelectionTarget, action: "replace" | "insert"): Promise<void> {
    const {document} = editor;
    if (document.isClosed || document.getText(range) !== answer.input)
        throw new InvalidInputError("The text that was answered has changed since; run ConPET on it again.");
    const selections = editor.selections;
    const edit = new vscode.WorkspaceEdit();
    if (action === "replace")
        edit.replace(document.uri, range, answer.output);
    else
        edit.insert(document.uri, document.lineAt(range.end.line).range.end, `\n${answer.output}`);
    if (!await vscode.workspace.applyEdit(edit))
        throw new InvalidInputError("The editor did not accept the answer; run it again.");
    // An insertion at the end of a selection would otherwise stretch the selection over the new text.
    if (action === "insert")
        editor.selections = selections;
}
