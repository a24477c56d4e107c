import * as vscode from "vscode";
import {answerChat} from "../../../core/chat/answerChat";
import {InvalidInputError} from "../../../vocabulary/errors";
import {toRunAnswer} from "../../answers/toRunAnswer";
import type {CommandDeps} from "../../commands/CommandDeps";
import {commandIds} from "../../constants";
import type {CorrectableAnswer} from "../../corrections/CorrectableAnswer";
import {correctButton} from "../../corrections/offerCorrection";
import {requireTrust} from "../../trust/requireTrust";
import {createAbortSignal} from "../../utils/createAbortSignal";
import {escapeMarkdown} from "../../utils/escapeMarkdown";
import type {ConpetChatMetadata} from "./ConpetChatMetadata";
import {describeChatAnswer} from "./describeChatAnswer";

/**
 * A plain `@conpet` message, routed like Run on Selection: the message (or, when it is empty, the
 * editor's selection) goes through the selector to a task module, whose answer streams in; a line
 * says which module answered and how sure it and the selector were, and Correct… offers to fix it.
 */
export async function answerMessage(deps: CommandDeps, request: vscode.ChatRequest, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<ConpetChatMetadata> {
    requireTrust("Running the model");
    const input = request.prompt.trim() !== "" ? request.prompt.trim() : getEditorSelection();
    stream.progress("Routing to a task module…");
    const conpet = await deps.services.getConpet();
    const cancellation = createAbortSignal(token);
    let answer;
    try {
        answer = await answerChat(conpet, deps.services.getEngine(), {
            target: "routed", turns: [{role: "user", text: input}], signal: cancellation.signal,
            // Escaped, not `appendText`, which turns every space into a non-breaking one and long answers into one line.
            onText: (piece) => stream.markdown(escapeMarkdown(piece))
        });
    } finally {
        cancellation.dispose();
    }
    void deps.services.refreshModelInfo();
    if (answer.text === "")
        stream.markdown("*(empty answer)*");
    const runAnswer = answer.prediction === null ? null : toRunAnswer(input, answer.prediction, true);
    stream.markdown(`\n\n${describeChatAnswer(answer, runAnswer)}\n`);
    const correctable: CorrectableAnswer = {input, output: answer.text, task: runAnswer?.task ?? null};
    if (runAnswer !== null)
        deps.lastAnswer.value = runAnswer;
    deps.lastCorrectable.value = correctable;
    deps.output.info(`@conpet answered ${JSON.stringify(answer.text.slice(0, 200))} by ${runAnswer === null ? `the base model (${answer.baseModelReason})` : JSON.stringify(runAnswer.task)}`);
    stream.button({command: commandIds.correctAnswer, title: correctButton, arguments: [{answer: correctable}]});
    return {command: "answer", answer: correctable};
}

function getEditorSelection(): string {
    const editor = vscode.window.activeTextEditor;
    const text = editor === undefined || editor.selection.isEmpty ? "" : editor.document.getText(editor.selection).trim();
    if (text === "")
        throw new InvalidInputError("Type the text ConPET should answer after @conpet, or select it in an editor first.");
    return text;
}
