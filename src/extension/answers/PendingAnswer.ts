import * as vscode from "vscode";
import {InvalidInputError} from "../../vocabulary/errors";
import type {SelectionTarget} from "../prompts/getSelectionInput";
import type {RunAnswer} from "./RunAnswer";
import {commandIds, contextKeys} from "../constants";
import {applyAnswer} from "./applyAnswer";

export type AnswerAction = "replace" | "insert" | "copy";

/**
 * The last answer, with Replace / Insert / Copy offered until one is used or the next answer comes:
 * VS Code hides a notification after a few seconds, so a status bar item keeps the offer in sight
 * (`conpet.applyAnswer`).
 */
export class PendingAnswer implements vscode.Disposable {
    private readonly _item = vscode.window.createStatusBarItem("conpet.answer", vscode.StatusBarAlignment.Left, 49);
    private _pending: {answer: RunAnswer; target: SelectionTarget | undefined} | undefined;

    public constructor() {
        this._item.name = "ConPET answer";
        this._item.command = commandIds.applyAnswer;
    }

    /** The actions the pending answer allows: Replace and Insert only where it came from an editor. */
    public get actions(): AnswerAction[] {
        if (this._pending === undefined)
            return [];
        return this._pending.target === undefined ? ["copy"] : ["replace", "insert", "copy"];
    }

    public offer(answer: RunAnswer, target: SelectionTarget | undefined): void {
        this._pending = {answer, target};
        const text = answer.output.replace(/\s+/g, " ").trim();
        this._item.text = `$(sparkle) ${text.length > 30 ? `${text.slice(0, 29)}…` : text || "(empty answer)"}`;
        this._item.tooltip = `ConPET's answer (${answer.task}). Click to ${target === undefined ? "copy it" : "replace the answered text with it, insert it below, or copy it"}.`;
        this._item.show();
        void vscode.commands.executeCommand("setContext", contextKeys.hasAnswer, true);
    }

    /** Applies the pending answer and withdraws the offer; `false` when none is pending (used already, or none yet). */
    public async apply(action: AnswerAction): Promise<boolean> {
        const pending = this._pending;
        if (pending === undefined)
            return false;
        if (action === "copy")
            await vscode.env.clipboard.writeText(pending.answer.output);
        else if (pending.target === undefined)
            throw new InvalidInputError("This answer was not for text in an editor; it can only be copied.");
        else
            await applyAnswer(pending.answer, pending.target, action);
        this.clear();
        return true;
    }

    public clear(): void {
        this._pending = undefined;
        this._item.hide();
        void vscode.commands.executeCommand("setContext", contextKeys.hasAnswer, false);
    }

    public dispose(): void {
        this._item.dispose();
    }
}
