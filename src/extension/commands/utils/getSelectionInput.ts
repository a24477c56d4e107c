import * as vscode from "vscode";
import {ConpetError, InvalidInputError} from "../../../core/errors";
import type {SampleSource} from "../../../core/types";
import {formatBytes} from "../../utils/formatBytes";

export type SelectionInput = {text: string; source: SampleSource | null; editor: vscode.TextEditor | undefined};

/**
 * The text a command works on: `explicitInput` when a caller passed one, else the active editor's
 * selection. Rejects an empty selection and one above `maxBytes` with messages that say what to do,
 * before anything is stored or sent to the model.
 */
export function getSelectionInput(explicitInput: unknown, maxBytes: number, what: string): SelectionInput {
    if (explicitInput !== undefined && typeof explicitInput !== "string")
        throw new InvalidInputError(`The input must be a string, got ${typeof explicitInput}.`);
    const editor = vscode.window.activeTextEditor;
    let text: string;
    let source: SampleSource | null = {kind: "manual"};
    if (typeof explicitInput === "string")
        text = explicitInput;
    else {
        if (editor === undefined)
            throw new InvalidInputError(`No editor is active. Open a file, select the text to use as ${what}, and try again.`);
        const {document, selection} = editor;
        // Measured on the range before reading it, so a 5 MB selection is refused without copying it around.
        const length = document.offsetAt(selection.end) - document.offsetAt(selection.start);
        if (length > maxBytes)
            throw tooLong(length, maxBytes, what);
        text = document.getText(selection);
        source = {
            kind: "selection",
            file: document.uri.scheme === "file" ? document.uri.fsPath : document.uri.toString(),
            range: {startLine: selection.start.line, startCharacter: selection.start.character, endLine: selection.end.line, endCharacter: selection.end.character}
        };
    }
    if (text.trim() === "")
        throw new InvalidInputError(
            typeof explicitInput === "string"
                ? `The input is empty. Give the text to use as ${what}.`
                : `The selection is empty. Select the text to use as ${what} first.`
        );
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > maxBytes)
        throw tooLong(bytes, maxBytes, what);
    return {text, source, editor: typeof explicitInput === "string" ? undefined : editor};
}

function tooLong(bytes: number, maxBytes: number, what: string): ConpetError {
    return new ConpetError(
        "SAMPLE_TOO_LONG",
        `The selection is too large (${formatBytes(bytes)}) to use as ${what}: the limit is ${formatBytes(maxBytes)}. Select a smaller part, such as one log line or one function.`,
        {data: {bytes, maxBytes}}
    );
}
