import * as vscode from "vscode";
import type {ChatTurn} from "../../core/chat/formatChatTranscript";

/** The text of a message's text parts; tool calls, tool results and data parts carry nothing ConPET reads. */
export function getMessageText(message: vscode.LanguageModelChatRequestMessage | string): string {
    if (typeof message === "string")
        return message;
    return message.content.filter((part) => part instanceof vscode.LanguageModelTextPart).map((part) => part.value).join("");
}

/** A request's messages as the core's turns: the assistant's as such, every other role (user, system) as the user's. */
export function toChatTurns(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatTurn[] {
    return messages.map((message) => ({
        role: message.role === vscode.LanguageModelChatMessageRole.Assistant ? "assistant" : "user",
        text: getMessageText(message)
    }));
}
