import type * as vscode from "vscode";
import {runTraining} from "../../commands/train";
import type {CommandDeps} from "../../commands/CommandDeps";
import {escapeMarkdown} from "../../utils/escapeMarkdown";
import type {ConpetChatMetadata} from "./ConpetChatMetadata";

/**
 * `@conpet /train`: the usual training (progress notification, Cancel), awaited here; the chat's
 * stop button cancels it too. Says what was learned.
 */
export async function startTraining(deps: CommandDeps, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<ConpetChatMetadata> {
    stream.progress("Training (progress and Cancel in the notification)…");
    const subscription = token.onCancellationRequested(() => deps.training.cancel());
    try {
        const result = await runTraining(deps, false);
        if (result === undefined)
            stream.markdown("A training is already running; its notification shows how far it is.");
        else if (result.learned.length === 0)
            stream.markdown("Everything was already trained.");
        else
            stream.markdown(`Learned ${result.learned.map((item) => `**${escapeMarkdown(item.task)}**`).join(", ")}. Ask away.`);
        return {command: "train", tasksToTrain: 0};
    } finally {
        subscription.dispose();
    }
}
