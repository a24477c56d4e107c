import * as vscode from "vscode";
import {commandIds} from "../constants";
import type {CorrectableAnswer} from "./CorrectableAnswer";

/** The button every answer carries (notification, chat, code action's answer). */
export const correctButton = "Correct…";

/**
 * Runs `ConPET: Correct Last Answer…` on `answer`, which asks for the right task and answer. Its
 * failures are reported by the command itself (output channel and notification).
 */
export function offerCorrection(answer: CorrectableAnswer): void {
    vscode.commands.executeCommand(commandIds.correctAnswer, {answer}).then(undefined, () => undefined);
}
