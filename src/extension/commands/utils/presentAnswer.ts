import * as vscode from "vscode";
import {InvalidInputError} from "../../../core/errors";
import type {CommandDeps} from "../CommandDeps";
import type {SelectionTarget} from "./getSelectionInput";
import type {RunAnswer} from "./RunAnswer";

/** What to do with an answer: replace the selection, insert it below, or only show it. */
export type AnswerMode = "replace" | "insert" | "show";

/**
 * Shows an answer with its own probability and, separately, the route the selector chose, and
 * applies it to the text that was answered (`target`), as the user (or `mode`) asks. Without
 * `mode`, the notification offers Replace and Insert.
 */
export async function presentAnswer(deps: CommandDeps, answer: RunAnswer, target: SelectionTarget | undefined, mode: unknown): Promise<void> {
    if (mode !== undefined && mode !== "replace" && mode !== "insert" && mode !== "show")
        throw new InvalidInputError(`Unknown mode ${JSON.stringify(mode)}: use "replace", "insert" or "show".`);
    deps.lastAnswer.value = answer;
    const routes = answer.routes.map((route) => `${route.task} ${formatPercent(route.probability)}`).join(", ");
    deps.output.info(`Answer by ${JSON.stringify(answer.task)} (module ${answer.moduleId ?? "-"}, ${answer.routed ? `routes: ${routes || "-"}` : "task chosen by the user"}; answer probability ${answer.answerProbability === null ? "-" : formatPercent(answer.answerProbability)}): ${JSON.stringify(answer.output)}`);
    const text = `ConPET → ${oneLine(answer.output)}  ·  ${describeAnswer(answer)}`;

    let action: AnswerMode | undefined = mode as AnswerMode | undefined;
    if (action === undefined) {
        const buttons = target === undefined ? ["Copy"] : ["Replace Selection", "Insert Below", "Copy"];
        const picked = await vscode.window.showInformationMessage(text, ...buttons);
        if (picked === "Copy")
            await vscode.env.clipboard.writeText(answer.output);
        action = picked === "Replace Selection" ? "replace" : picked === "Insert Below" ? "insert" : "show";
    } else if (action === "show")
        void vscode.window.showInformationMessage(text);

    if (action === "show" || target === undefined)
        return;
    await applyAnswer(answer, target, action);
}

/** "87% likely · routed to "log-level" (selector 95%)", or "task "log-level"" when the user named it. */
function describeAnswer(answer: RunAnswer): string {
    const parts: string[] = [];
    if (answer.answerProbability !== null)
        parts.push(`${formatPercent(answer.answerProbability)} likely`);
    if (answer.routed)
        parts.push(`routed to "${answer.task}"${answer.routeProbability === null ? "" : ` (selector ${formatPercent(answer.routeProbability)})`}`);
    else
        parts.push(`task "${answer.task}"`);
    return parts.join("  ·  ");
}

/**
 * Replaces the answered range, or inserts below its last line, in its document; refuses when that
 * text changed while the model answered. The user's selection is left where it is.
 */
async function applyAnswer(answer: RunAnswer, {editor, range}: SelectionTarget, action: "replace" | "insert"): Promise<void> {
    const {document} = editor;
    if (document.isClosed || document.getText(range) !== answer.input)
        throw new InvalidInputError("The text that was answered changed while the model was answering; run it again.");
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

function formatPercent(value: number): string {
    return `${Math.round(value * 100)}%`;
}

function oneLine(text: string): string {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > 200 ? `${line.slice(0, 199)}…` : line === "" ? "(empty answer)" : line;
}
