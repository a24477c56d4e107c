import * as vscode from "vscode";
import {recordCorrection} from "../../core/corrections/recordCorrection";
import {InvalidInputError} from "../../vocabulary/errors";
import type {Task} from "../../vocabulary/types";
import {commandIds} from "../constants";
import type {CorrectableAnswer} from "../corrections/CorrectableAnswer";
import {askTaskOutput} from "../prompts/askTaskOutput";
import {pickTask} from "../prompts/pickTask";
import {formatQuantity} from "../utils/formatQuantity";
import type {CommandDeps} from "./CommandDeps";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";

/** Args for `conpet.correctAnswer` when called without UI. */
export type CorrectAnswerArgs = {
    /** The answer to correct (the chat's and the notifications' Correct… pass theirs). Defaults to the last answer. */
    answer?: CorrectableAnswer;
    /** The task that should have answered, name or id. Asked when missing. */
    task?: string | number;
    /** The right label or output. Asked when missing. */
    output?: string;
};

/** What `conpet.correctAnswer` returns once the correction is stored. */
export type CorrectionSummary = {
    task: string;
    input: string;
    output: string;
    /** `false` when the task already held exactly this sample. */
    added: boolean;
    /** Contradicting samples (same input, another output) removed from the task. */
    replaced: number;
    /** The task's module state now (`stale` once a trained task's samples changed). */
    state: string;
    /** Corrections of the task waiting for the next training. */
    pendingCorrections: number;
};

/**
 * `ConPET: Correct Last Answer…` (and every answer's Correct… button): the user names the task that
 * should have answered (the one that did comes first) and the right answer; it is stored as a
 * training sample of that task, which turns stale until the next training learns it.
 */
export function registerCorrectAnswerCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.correctAnswer, async (rawArgs): Promise<CorrectionSummary | undefined> => {
        const args = getPlainArgs(rawArgs) as CorrectAnswerArgs;
        const answer = args.answer === undefined ? deps.lastCorrectable.value : parseAnswer(args.answer);
        if (answer === null)
            throw new InvalidInputError("There is no answer to correct yet: run ConPET on a selection, or ask @conpet in the chat, first.");
        const store = await deps.services.getStore();
        const task = args.task === undefined ? await pickRightTask(deps, answer) : await store.getTask(args.task);
        if (task === undefined)
            return undefined;
        const output = args.output ?? await askTaskOutput(task, answer.input, {
            what: "right answer",
            hint: task.name === answer.task ? {output: answer.output, description: "ConPET's answer", place: "last"} : undefined
        });
        if (output === undefined)
            return undefined;

        const result = await recordCorrection(store, {task: task.id, input: answer.input, output, answered: {task: answer.task, output: answer.output}});
        deps.output.info(`Correction for ${JSON.stringify(task.name)}: ${JSON.stringify(answer.input.slice(0, 80))} → ${JSON.stringify(output.slice(0, 80))} (ConPET had answered ${JSON.stringify(answer.output.slice(0, 80))} by ${answer.task === null ? "the base model" : JSON.stringify(answer.task)}; ${result.added ? "stored" : "already stored"}, ${result.replaced} contradicting removed)`);
        deps.services.notifyDataChanged();
        const summary = (await deps.tasksModel.getTasks()).find((candidate) => candidate.task.id === task.id);
        const pendingCorrections = summary?.pendingCorrections ?? 0;
        const text = result.added || result.replaced > 0
            ? `ConPET: the correction is a training sample of "${task.name}" now; ${formatQuantity(pendingCorrections, "correction")} ${pendingCorrections === 1 ? "waits" : "wait"} for the next training.`
            : `ConPET: "${task.name}" already holds this example; nothing new to learn from it.`;
        void vscode.window.showInformationMessage(text, "Train").then((picked) => {
            if (picked !== undefined)
                void vscode.commands.executeCommand(commandIds.train);
        });
        return {task: task.name, input: answer.input, output, added: result.added, replaced: result.replaced, state: summary?.state ?? "untrained", pendingCorrections};
    });
}

async function pickRightTask(deps: CommandDeps, answer: CorrectableAnswer): Promise<Task | undefined> {
    const answered = answer.task === null ? undefined : await (await deps.services.getStore()).findTask(answer.task);
    const picked = await pickTask(deps.services, undefined, {
        placeHolder: `Which task should have answered "${answer.input.replace(/\s+/g, " ").trim().slice(0, 60)}"?`,
        preferredTaskId: answered?.id,
        preferredDescription: "answered"
    });
    return picked === "create" ? undefined : picked;
}

/** The answer a button or a caller passed: its input and output as text, its task a name or `null`. */
function parseAnswer(value: unknown): CorrectableAnswer {
    const answer = value as Partial<Record<keyof CorrectableAnswer, unknown>> | null;
    if (typeof answer !== "object" || answer === null || typeof answer.input !== "string" || typeof answer.output !== "string" || !(typeof answer.task === "string" || answer.task === null))
        throw new InvalidInputError("The answer to correct must be {input, output, task}: input and output as text, task a task name or null.");
    return {input: answer.input, output: answer.output, task: answer.task};
}
