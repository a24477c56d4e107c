import * as vscode from "vscode";
import {InvalidInputError} from "../../vocabulary/errors";
import {applyAnswer} from "./applyAnswer";
import type {AnswerAction} from "./PendingAnswer";
import {commandIds} from "../constants";
import type {CommandDeps} from "../commands/CommandDeps";
import type {SelectionTarget} from "../prompts/getSelectionInput";
import type {RunAnswer} from "./RunAnswer";
import {describeAnswer} from "./describeAnswer";
import {formatPercent} from "../utils/formatPercent";
import {correctButton, offerCorrection} from "../corrections/offerCorrection";

/** What to do with an answer: replace the selection, insert it below, or only show it. */
export type AnswerMode = "replace" | "insert" | "show";

const buttons: Record<AnswerAction, string> = {replace: "Replace Selection", insert: "Insert Below", copy: "Copy"};

/**
 * Shows an answer with its own probability and, separately, the route the selector chose. With
 * `mode`, applies it to the text that was answered (`target`) at once. Without, it is offered (the
 * notification's buttons, and the status bar item that outlives the notification) and this returns.
 */
export async function presentAnswer(deps: CommandDeps, answer: RunAnswer, target: SelectionTarget | undefined, mode: unknown): Promise<void> {
    if (mode !== undefined && mode !== "replace" && mode !== "insert" && mode !== "show")
        throw new InvalidInputError(`Unknown mode ${JSON.stringify(mode)}: use "replace", "insert" or "show".`);
    deps.lastAnswer.value = answer;
    deps.lastCorrectable.value = answer;
    const routes = answer.routes.map((route) => `${route.task} ${formatPercent(route.probability)}`).join(", ");
    deps.output.info(`Answer by ${JSON.stringify(answer.task)} (module ${answer.moduleId ?? "-"}, ${answer.routed ? `routes: ${routes || "-"}` : "task chosen by the user"}; answer probability ${answer.answerProbability === null ? "-" : formatPercent(answer.answerProbability)}): ${JSON.stringify(answer.output)}`);
    const text = `ConPET → ${oneLine(answer.output)}  ·  ${describeAnswer(answer)}`;

    if (mode === "show") {
        void vscode.window.showInformationMessage(text, correctButton).then((picked) => {
            if (picked === correctButton)
                offerCorrection(answer);
        });
        return;
    }
    if (mode !== undefined) {
        if (target !== undefined)
            await applyAnswer(answer, target, mode);
        return;
    }
    deps.pendingAnswer.offer(answer, target);
    const offered = deps.pendingAnswer.actions;
    void vscode.window.showInformationMessage(text, ...offered.map((action) => buttons[action]), correctButton).then(async (picked) => {
        if (picked === correctButton) {
            offerCorrection(answer);
            return;
        }
        const action = offered.find((candidate) => buttons[candidate] === picked);
        // A later answer replaces this offer; a click on an old notification must not apply the new answer.
        if (action === undefined || deps.lastAnswer.value !== answer)
            return;
        try {
            await deps.pendingAnswer.apply(action);
        } catch (err) {
            deps.errors.report(err, commandIds.applyAnswer);
        }
    });
}

function oneLine(text: string): string {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > 200 ? `${line.slice(0, 199)}…` : line === "" ? "(empty answer)" : line;
}
