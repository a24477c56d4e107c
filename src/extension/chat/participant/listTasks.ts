import type * as vscode from "vscode";
import type {CommandDeps} from "../../commands/CommandDeps";
import {commandIds} from "../../constants";
import {countTasksToTrain} from "../../tasks/countTasksToTrain";
import {describeModuleState} from "../../utils/describeModuleState";
import {escapeMarkdown} from "../../utils/escapeMarkdown";
import {formatPercent} from "../../utils/formatPercent";
import type {ConpetChatMetadata} from "./ConpetChatMetadata";

/** `@conpet /tasks`: every task with its kind, module state, samples, held-out accuracy and waiting corrections. Reads the store only. */
export async function listTasks(deps: CommandDeps, stream: vscode.ChatResponseStream): Promise<ConpetChatMetadata> {
    const tasks = await deps.tasksModel.getTasks();
    if (tasks.length === 0) {
        stream.markdown("No tasks yet. Define one, then add examples: select text and use `/add <task> <label>`.\n");
        stream.button({command: commandIds.createTask, title: "Create Task…"});
        return {command: "tasks", tasksToTrain: 0};
    }
    const rows = tasks.map((summary) => {
        const {task} = summary;
        const kind = task.kind === "classify" ? `classify: ${task.labels.map(escapeMarkdown).join(", ")}` : "generate";
        const accuracy = summary.heldOutAccuracy === null ? "–" : formatPercent(summary.heldOutAccuracy);
        return `| ${escapeMarkdown(task.name)} | ${kind} | ${describeModuleState(summary.state, summary.reason)} | ${summary.trainSamples} + ${summary.testSamples} | ${accuracy} | ${summary.pendingCorrections} |`;
    });
    stream.markdown([
        "| Task | Kind | Module | Samples (train + held out) | Held-out accuracy | Corrections waiting |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows
    ].join("\n") + "\n");
    const tasksToTrain = countTasksToTrain(tasks);
    if (tasksToTrain > 0)
        stream.markdown(`\n${tasksToTrain === 1 ? "One task waits" : `${tasksToTrain} tasks wait`} for training: \`/train\`.\n`);
    return {command: "tasks", tasksToTrain};
}
