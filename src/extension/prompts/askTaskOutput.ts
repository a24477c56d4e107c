import * as vscode from "vscode";
import type {Task} from "../../vocabulary/types";

/** An answer to point out among the choices: a suggestion offered first, or a wrong answer offered last. */
export type OutputHint = {output: string; description: string; place: "first" | "last"};

/**
 * Asks for a task's answer to `input`: one of its labels (a quick pick), or the expected text (an
 * input box, filled with a hint placed last so it can be edited). `what` names the answer in the
 * title (defaults to "label" or "expected output"). `undefined` when dismissed.
 */
export async function askTaskOutput(task: Task, input: string, {what, hint}: {what?: string; hint?: OutputHint} = {}): Promise<string | undefined> {
    const preview = input.replace(/\s+/g, " ").trim().slice(0, 80);
    const title = `ConPET: ${what ?? (task.kind === "classify" ? "label" : "expected output")} for "${preview}"`;
    if (task.kind === "classify") {
        const hinted = hint !== undefined && task.labels.includes(hint.output) ? hint : undefined;
        const others = task.labels.filter((label) => label !== hinted?.output);
        const labels = hinted === undefined ? others : hinted.place === "first" ? [hinted.output, ...others] : [...others, hinted.output];
        const picked = await vscode.window.showQuickPick(labels.map((label) => ({label, description: label === hinted?.output ? hinted.description : undefined})), {
            title,
            placeHolder: `Which label of "${task.name}" is right for this text?`,
            ignoreFocusOut: true
        });
        return picked?.label;
    }
    return await vscode.window.showInputBox({
        title,
        prompt: `What should "${task.name}" answer for this text?`,
        value: hint?.place === "last" ? hint.output : undefined,
        ignoreFocusOut: true,
        validateInput: (value) => value.trim() === "" ? "The expected output cannot be empty." : undefined
    });
}
