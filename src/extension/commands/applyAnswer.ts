import * as vscode from "vscode";
import {InvalidInputError} from "../../vocabulary/errors";
import type {AnswerAction} from "../answers/PendingAnswer";
import {commandIds} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";

/** Args for `conpet.applyAnswer` when called without UI. */
export type ApplyAnswerArgs = {
    /** `replace` the answered text, `insert` the answer below it, or `copy` it. Asked when missing. */
    action?: AnswerAction;
};

const labels: Record<AnswerAction, string> = {replace: "$(replace) Replace the answered text", insert: "$(insert) Insert below it", copy: "$(copy) Copy"};

/**
 * `ConPET: Apply Last Answer…` (the status bar item of the last answer): Replace, Insert or Copy,
 * applied to the text that was answered. Returns `false` when no answer is waiting.
 */
export function registerApplyAnswerCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.applyAnswer, async (rawArgs) => {
        const {action: given} = getPlainArgs(rawArgs) as ApplyAnswerArgs;
        const offered = deps.pendingAnswer.actions;
        if (given !== undefined && !(["replace", "insert", "copy"] as unknown[]).includes(given))
            throw new InvalidInputError(`Unknown action ${JSON.stringify(given)}: use "replace", "insert" or "copy".`);
        if (offered.length === 0) {
            void vscode.window.showInformationMessage("ConPET: no answer is waiting; Run on Selection answers the selected text.");
            return false;
        }
        const action = given ?? (await vscode.window.showQuickPick(offered.map((candidate) => ({label: labels[candidate], action: candidate})), {
            placeHolder: `ConPET's answer: ${deps.lastAnswer.value?.output.slice(0, 80) ?? ""}`
        }))?.action;
        return action === undefined ? false : await deps.pendingAnswer.apply(action);
    });
}
