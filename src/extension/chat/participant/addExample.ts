import * as vscode from "vscode";
import {InvalidInputError} from "../../../vocabulary/errors";
import type {Task} from "../../../vocabulary/types";
import {addSelectionToTask, type AddSelectionToTaskArgs} from "../../commands/addSelectionToTask";
import type {CommandDeps} from "../../commands/CommandDeps";
import {escapeMarkdown} from "../../utils/escapeMarkdown";
import {formatQuantity} from "../../utils/formatQuantity";
import type {ConpetChatMetadata} from "./ConpetChatMetadata";

/**
 * `@conpet /add [task] [label or output]`: the editor's selection, or else the previous message
 * sent to `@conpet`, becomes an example of the task (asked for when not named; the label or output
 * too), exactly as Add Selection to Task stores it.
 */
export async function addExample(deps: CommandDeps, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream): Promise<ConpetChatMetadata> {
    const store = await deps.services.getStore();
    const {task, output} = parseAddPrompt(request.prompt, await store.listTasks());
    const editor = vscode.window.activeTextEditor;
    const selected = editor !== undefined && !editor.selection.isEmpty;
    const input = selected ? undefined : getPreviousMessage(context);
    if (!selected && input === undefined)
        throw new InvalidInputError("Nothing to add: select the example's text in an editor (or send it to @conpet first), then /add <task> <label or output>.");
    const args: AddSelectionToTaskArgs = {
        ...(task === undefined ? {} : {task: task.name}),
        ...(output === undefined ? {} : {output}),
        ...(input === undefined ? {} : {input})
    };
    const added = await addSelectionToTask(deps, args);
    if (added === undefined) {
        stream.markdown("Nothing was added.");
        return {command: "add"};
    }
    const summary = (await deps.tasksModel.getTasks()).find((candidate) => candidate.task.id === added.taskId);
    stream.markdown(`Added to **${escapeMarkdown(added.task)}** (${formatQuantity(added.samples, "sample")}): ${escapeMarkdown(`${oneLine(added.input)} → ${oneLine(added.output)}`)}`);
    return {command: "add", tasksToTrain: summary === undefined || summary.state === "ready" ? 0 : 1};
}

/** The task named first in the prompt (the longest name that starts it) and the rest as the answer. */
function parseAddPrompt(prompt: string, tasks: readonly Task[]): {task?: Task; output?: string} {
    const text = prompt.trim();
    const task = tasks
        .filter((candidate) => text === candidate.name || text.startsWith(`${candidate.name} `))
        .sort((a, b) => b.name.length - a.name.length)[0];
    const rest = (task === undefined ? text : text.slice(task.name.length)).trim();
    if (task === undefined && rest !== "")
        throw new InvalidInputError(`No task is named like the start of "${oneLine(rest)}". Use /add <task> <label or output>; /tasks lists the tasks.`);
    return {task, output: rest === "" ? undefined : rest};
}

/** The last plain message sent to `@conpet` in this conversation (not a /command). */
function getPreviousMessage(context: vscode.ChatContext): string | undefined {
    for (const turn of [...context.history].reverse()) {
        const request = turn as Partial<vscode.ChatRequestTurn>;
        if (typeof request.prompt === "string" && request.command === undefined && request.prompt.trim() !== "")
            return request.prompt.trim();
    }
    return undefined;
}

function oneLine(text: string): string {
    const line = text.replace(/\s+/g, " ").trim();
    return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
