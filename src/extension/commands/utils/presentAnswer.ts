import * as vscode from "vscode";
import {InvalidInputError} from "../../../core/errors";
import type {CommandDeps} from "../CommandDeps";
import type {RunAnswer} from "./RunAnswer";

/** What to do with an answer: replace the selection, insert it below, or only show it. */
export type AnswerMode = "replace" | "insert" | "show";

/**
 * Shows an answer with which module answered and how sure the selector was, and applies it to the
 * editor as the user (or `mode`) asks. Without `mode`, the notification offers Replace and Insert.
 */
export async function presentAnswer(deps: CommandDeps, answer: RunAnswer, editor: vscode.TextEditor | undefined, mode: unknown): Promise<void> {
    if (mode !== undefined && mode !== "replace" && mode !== "insert" && mode !== "show")
        throw new InvalidInputError(`Unknown mode ${JSON.stringify(mode)}: use "replace", "insert" or "show".`);
    deps.lastAnswer.value = answer;
    const routes = answer.routes.map((route) => `${route.task} ${(route.probability * 100).toFixed(1)}%`).join(", ");
    deps.output.info(`Answer by ${JSON.stringify(answer.task)} (module ${answer.moduleId ?? "-"}, ${answer.routed ? `selector ${(answer.confidence * 100).toFixed(1)}%; routes: ${routes}` : "task chosen by the user"}): ${JSON.stringify(answer.output)}`);
    const how = answer.routed ? `routed to "${answer.task}" (${Math.round(answer.confidence * 100)}% sure)` : `task "${answer.task}"`;
    const text = `ConPET → ${oneLine(answer.output)}  ·  ${how}`;

    let action: AnswerMode | undefined = mode as AnswerMode | undefined;
    if (action === undefined) {
        const buttons = editor === undefined ? ["Copy"] : ["Replace Selection", "Insert Below", "Copy"];
        const picked = await vscode.window.showInformationMessage(text, ...buttons);
        if (picked === "Copy")
            await vscode.env.clipboard.writeText(answer.output);
        action = picked === "Replace Selection" ? "replace" : picked === "Insert Below" ? "insert" : "show";
    } else if (action === "show")
        void vscode.window.showInformationMessage(text);

    if (action === "show" || editor === undefined)
        return;
    const selection = editor.selection;
    const ok = await editor.edit((edit) => {
        if (action === "replace")
            edit.replace(selection, answer.output);
        else {
            const line = editor.document.lineAt(selection.end.line);
            edit.insert(line.range.end, `\n${answer.output}`);
        }
    });
    if (!ok)
        throw new InvalidInputError("The editor changed while the model was answering; run it again.");
}

function oneLine(text: string): string {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > 200 ? `${line.slice(0, 199)}…` : line === "" ? "(empty answer)" : line;
}
