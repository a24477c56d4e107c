/**
 * The correction loop's store side: the right answer to an input ConPET got wrong becomes a
 * training sample of the right task (`source.kind` "correction", with what ConPET had answered).
 * The task's samples change, so its module turns stale and the next training learns the
 * correction; the selector, retrained with it from the stored samples, learns the route too.
 */
import {InvalidInputError} from "../../vocabulary/errors";
import type {SampleSource, Task} from "../../vocabulary/types";
import type {CoreStore} from "../dependencyTypes";

export type CorrectionStore = Pick<CoreStore, "getTask" | "listSamples"> & {
    addSamples(taskId: number, samples: {input: string; output: string; split: "train"; source: SampleSource}[]): Promise<{added: number}>;
    deleteSamples(ids: readonly number[]): Promise<number>;
};

export type RecordCorrectionOptions = {
    /** The task that should have answered (name or id). */
    task: string | number;
    input: string;
    /** The right answer: one of the task's labels, or the expected text. */
    output: string;
    /** What ConPET answered: the task whose module answered (`null`: the base model) and its output. */
    answered: {task: string | null; output: string};
};

export type CorrectionResult = {
    task: Task;
    /** `false` when the task already had exactly this sample: nothing new to learn. */
    added: boolean;
    /** Training samples of the task with the same input and another output, removed because they taught the wrong answer. */
    replaced: number;
};

export async function recordCorrection(store: CorrectionStore, {task: taskRef, input, output, answered}: RecordCorrectionOptions): Promise<CorrectionResult> {
    const task = await store.getTask(taskRef);
    if (input.trim() === "")
        throw new InvalidInputError("The corrected input is empty.");
    if (task.kind === "classify" && !task.labels.includes(output))
        throw new InvalidInputError(`${JSON.stringify(output)} is not a label of ${JSON.stringify(task.name)}; use one of: ${task.labels.join(", ")}.`, {labels: task.labels});
    if (output.trim() === "")
        throw new InvalidInputError("The right answer is empty. Give the label or the text the task should answer.");
    if (answered.task === task.name && answered.output === output)
        throw new InvalidInputError(`${JSON.stringify(output)} is what "${task.name}" answered already. Give the right answer, or the right task when the routing was wrong.`);

    // Added before the contradicting samples are removed: a failure in between leaves both, never neither.
    const {added} = await store.addSamples(task.id, [{input, output, split: "train", source: {kind: "correction", answered}}]);
    const contradicting = (await store.listSamples(task.id, {split: "train"})).filter((sample) => sample.input === input && sample.output !== output);
    const replaced = contradicting.length === 0 ? 0 : await store.deleteSamples(contradicting.map((sample) => sample.id));
    return {task, added: added > 0, replaced};
}

