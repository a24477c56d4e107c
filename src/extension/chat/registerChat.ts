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
    // The workbench asks a vendor for its models only when someone selects them (measured in VS Code 1.139): until
    // then the chat's model picker lists none and a first @conpet message fails with "Language model unavailable".
    // Selecting them once here lists them from the start; it reads settings only, nothing is loaded.
    vscode.lm.selectChatModels({vendor: chatIds.vendor}).then(undefined, (err: unknown) => deps.output.warn(`The ConPET chat models could not be listed: ${String(err)}`));
}
