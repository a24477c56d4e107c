import * as vscode from "vscode";
import type {CommandDeps} from "../commands/CommandDeps";
import {chatIds} from "../constants";
import {ConpetChatModelProvider} from "./ConpetChatModelProvider";
import {createChatRequestHandler, provideConpetFollowups} from "./participant/createChatRequestHandler";

/** ConPET in VS Code's chat: the `conpet` language models (`vscode.lm`, the model picker) and the `@conpet` participant. */
export function registerChat(deps: CommandDeps): void {
    const provider = new ConpetChatModelProvider(deps.services, deps.output);
    const participant = vscode.chat.createChatParticipant(chatIds.participant, createChatRequestHandler(deps));
    participant.iconPath = vscode.Uri.joinPath(deps.context.extensionUri, "media", "icon.png");
    participant.followupProvider = {provideFollowups: (result) => provideConpetFollowups(result)};
    deps.context.subscriptions.push(provider, vscode.lm.registerLanguageModelChatProvider(chatIds.vendor, provider), participant);
}
