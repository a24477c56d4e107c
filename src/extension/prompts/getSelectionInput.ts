import * as vscode from "vscode";
import {ConpetError, InvalidInputError} from "../../vocabulary/errors";
import type {SampleSource} from "../../vocabulary/types";
import {formatBytes} from "../utils/formatBytes";

/** Where the text came from in an editor: the answer is applied there, wherever the selection has moved since. */
export type SelectionTarget = {editor: vscode.TextEditor; range: vscode.Range};

export type SelectionInput = {text: string; source: SampleSource | null; target: SelectionTarget | undefined};

/**
 * The text a command works on: `explicitInput` when a caller passed one, else the active editor's
 * selection, or its cursor's line when nothing is selected. Rejects empty text and text above
 * `maxBytes` with messages that say what to do, before anything is stored or sent to the model.
 */
export function getSelectionInput(explicitInput: unknown, maxBytes: number, what: string): SelectionInput {
    if (explicitInput !== undefined && typeof explicitInput !== "string")
        throw new InvalidInputError(`The input must be a string, got ${typeof explicitInput}.`);
    if (typeof explicitInput === "string") {
        checkText(explicitInput, maxBytes, `The input is empty. Give the text to use as ${what}.`, what);
        return {text: explicitInput, source: {kind: "manual"}, target: undefined};
    }
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined)
        throw new InvalidInputError(`No editor is active. Open a file, select the text to use as ${what}, and try again.`);
    const {document, selection} = editor;
    const range: vscode.Range = selection.isEmpty ? document.lineAt(selection.active.line).range : selection;
    // Measured on the range before reading it, so a 5 MB selection is refused without copying it around.
    const length = document.offsetAt(range.end) - document.offsetAt(range.start);
    if (length > maxBytes)
        throw tooLong(length, maxBytes, what);
    const text = document.getText(range);
    checkText(text, maxBytes, selection.isEmpty
        ? `Nothing is selected and the cursor's line is empty. Select the text to use as ${what} (or put the cursor on its line) first.`
        : `The selection is empty. Select the text to use as ${what} first.`, what);
    return {
        text,
        source: {
            kind: "selection",
            file: document.uri.scheme === "file" ? document.uri.fsPath : document.uri.toString(),
            range: {startLine: range.start.line, startCharacter: range.start.character, endLine: range.end.line, endCharacter: range.end.character}
        },
        target: {editor, range: new vscode.Range(range.start, range.end)}
    };
}

function checkText(text: string, maxBytes: number, emptyMessage: string, what: string): void {
    if (text.trim() === "")
        throw new InvalidInputError(emptyMessage);
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > maxBytes)
        throw tooLong(bytes, maxBytes, what);
}

function tooLong(bytes: number, maxBytes: number, what: string): ConpetError {
    return new ConpetError(
        "SAMPLE_TOO_LONG",
        `The selection is too large (${formatBytes(bytes)}) to use as ${what}: the limit is ${formatBytes(maxBytes)}. Select a smaller part, such as one log line or one function.`,
        {data: {bytes, maxBytes}}
    );
}
