import * as vscode from "vscode";
import {InvalidInputError} from "../../../vocabulary/errors";
import type {CommandDeps} from "../../commands/CommandDeps";
import {chatIds} from "../../constants";
import {createChatRequestHandler, provideConpetFollowups} from "./createChatRequestHandler";

/** A part the handler streamed, as plain data. */
export type RecordedChatPart =
    | {kind: "markdown"; value: string}
    | {kind: "progress"; value: string}
    | {kind: "button"; title: string; command: string; arguments: unknown[]}
    | {kind: "other"};

export type RecordChatRequestArgs = {
    prompt: string;
    command?: string;
    /** Earlier requests of the conversation, oldest first. Defaults to `[]`. */
    history?: {prompt: string; command?: string}[];
};

/**
 * Test hook `conpet._test.chat`: runs the `@conpet` participant's handler on a request as the chat
 * would (the routed ConPET model from `vscode.lm` as `request.model`) and returns what it streamed,
 * its result and its follow-ups. The chat view's own rendering is covered by the UI test.
 */
export async function recordChatRequest(deps: CommandDeps, {prompt, command, history = []}: RecordChatRequestArgs): Promise<{parts: RecordedChatPart[]; result: vscode.ChatResult; followups: vscode.ChatFollowup[]}> {
    const [model] = await vscode.lm.selectChatModels({vendor: chatIds.vendor, id: chatIds.routedModel});
    if (model === undefined)
        throw new InvalidInputError("No ConPET chat model is offered: select a base model first.");
    const parts: RecordedChatPart[] = [];
    const stream: vscode.ChatResponseStream = {
        markdown: (value) => parts.push({kind: "markdown", value: typeof value === "string" ? value : value.value}),
        progress: (value) => parts.push({kind: "progress", value}),
        button: (button) => parts.push({kind: "button", title: button.title, command: button.command, arguments: button.arguments ?? []}),
        anchor: () => parts.push({kind: "other"}),
        filetree: () => parts.push({kind: "other"}),
        reference: () => parts.push({kind: "other"}),
        push: () => parts.push({kind: "other"})
    };
    const request = {prompt, command, references: [], toolReferences: [], toolInvocationToken: undefined as never, model} satisfies vscode.ChatRequest;
    const context: vscode.ChatContext = {history: history.map((turn) => ({prompt: turn.prompt, command: turn.command, participant: chatIds.participant, references: [], toolReferences: []}) as unknown as vscode.ChatRequestTurn)};
    const cancellation = new vscode.CancellationTokenSource();
    try {
        const result = await createChatRequestHandler(deps)(request, context, stream, cancellation.token) ?? {};
        return {parts, result, followups: provideConpetFollowups(result)};
    } finally {
        cancellation.dispose();
    }
}
