import * as vscode from "vscode";
import {errorToPayload} from "../../../vocabulary/errors";
import type {CommandDeps} from "../../commands/CommandDeps";
import {addExample} from "./addExample";
import {answerMessage} from "./answerMessage";
import type {ConpetChatMetadata} from "./ConpetChatMetadata";
import {listTasks} from "./listTasks";
import {startTraining} from "./startTraining";

/**
 * The `@conpet` participant's handler: `/tasks`, `/add`, `/train`, or a plain message to answer.
 * A failure is logged and shown in the chat as the turn's error, with its message saying what to do.
 */
export function createChatRequestHandler(deps: CommandDeps): vscode.ChatRequestHandler {
    return async (request, context, stream, token): Promise<vscode.ChatResult> => {
        try {
            const metadata = await handle(deps, request, context, stream, token);
            return {metadata};
        } catch (err) {
            const payload = errorToPayload(err);
            if (payload.code === "CANCELLED" || token.isCancellationRequested)
                return {metadata: {command: "answer"} satisfies ConpetChatMetadata};
            deps.output.error(`@conpet ${request.command === undefined ? "message" : `/${request.command}`}: [${payload.code}] ${payload.message}`);
            return {errorDetails: {message: payload.message}, metadata: {command: "answer"} satisfies ConpetChatMetadata};
        }
    };
}

function handle(deps: CommandDeps, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<ConpetChatMetadata> {
    switch (request.command) {
        case "tasks":
            return listTasks(deps, stream);
        case "add":
            return addExample(deps, request, context, stream);
        case "train":
            return startTraining(deps, stream, token);
        default:
            return answerMessage(deps, request, stream, token);
    }
}

/** Follow-ups where they help: after an answer the task list, after adding or listing pending tasks a training. */
export function provideConpetFollowups(result: vscode.ChatResult): vscode.ChatFollowup[] {
    const metadata = result.metadata as ConpetChatMetadata | undefined;
    if (metadata === undefined || result.errorDetails !== undefined)
        return [];
    if ((metadata.tasksToTrain ?? 0) > 0)
        return [{prompt: "", command: "train", label: "Train now"}];
    if (metadata.command === "answer" || metadata.command === "train")
        return [{prompt: "", command: "tasks", label: "Show the tasks"}];
    return [];
}
