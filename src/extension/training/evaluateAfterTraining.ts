import type {Conpet} from "../../core/Conpet/Conpet";
import type {Evaluation, Sample} from "../../core/types";
import type {ConpetStore} from "../../store/ConpetStore";

/** Held-out samples evaluated per task after each training; keeps the step short on a laptop. Defaults to `50`. */
export const defaultEvaluationSamplesPerTask = 50;

export type EvaluateAfterTrainingOptions = {
    store: ConpetStore;
    conpet: Conpet;
    mode: string;
    /** Tasks learned by the training that just finished, in the order learned. */
    learned: string[];
    samplesPerTask?: number;
    signal?: AbortSignal;
};

/**
 * After a training, measures every learned task on its held-out samples (task-agnostic, through
 * the selector, exactly like Run on Selection; exact match) and extends the accuracy matrix of the
 * previous evaluation by a row per newly learned task, so the panel shows forgetting as it happens.
 * A task without held-out samples is measured on its training samples instead, and says so in
 * `details.measuredOn`. When one training learned several tasks at once, all their rows come from
 * the one measurement after the last of them (`details.sharedRows`).
 */
export async function evaluateAfterTraining({store, conpet, mode, learned, samplesPerTask = defaultEvaluationSamplesPerTask, signal}: EvaluateAfterTrainingOptions): Promise<Evaluation | undefined> {
    if (learned.length === 0)
        return undefined;
    const tasks = await store.listTasks();
    const previous = (await store.listEvaluations()).filter((evaluation) => evaluation.details.source === "extension").at(-1);
    // The matrix follows the order tasks were learned in; a deleted task starts a fresh matrix.
    const known = new Set(tasks.map((task) => task.name));
    const keepPrevious = previous !== undefined && previous.tasks.every((name) => known.has(name));
    const order = keepPrevious ? previous.tasks.filter((name) => !learned.includes(name)) : [];
    const matrix = keepPrevious ? previous.accuracyMatrix.slice(0, order.length).map((row) => [...row]) : [];
    const sharedRows: number[] = keepPrevious && Array.isArray(previous.details.sharedRows) ? (previous.details.sharedRows as number[]).filter((row) => row < order.length) : [];
    if (!keepPrevious) {
        // Without history, the tasks learned before this run form the first row(s), measured now.
        const ready = new Set((await conpet.getStatus()).tasks.filter((status) => status.state === "ready").map((status) => status.task.id));
        for (const task of tasks)
            if (!learned.includes(task.name) && ready.has(task.id))
                order.push(task.name);
    }
    order.push(...learned);

    const measuredOn: Record<string, "test" | "train"> = {};
    const accuracies: number[] = [];
    let routed = 0;
    let total = 0;
    for (const name of order) {
        signal?.throwIfAborted();
        const task = tasks.find((candidate) => candidate.name === name)!;
        let samples: Sample[] = await store.listSamples(task.id, {split: "test", limit: samplesPerTask});
        measuredOn[name] = "test";
        if (samples.length === 0) {
            samples = await store.listSamples(task.id, {split: "train", limit: samplesPerTask});
            measuredOn[name] = "train";
        }
        if (samples.length === 0) {
            accuracies.push(0);
            continue;
        }
        const predictions = await conpet.predictMany(samples.map((sample) => sample.input), {signal});
        let correct = 0;
        predictions.forEach((prediction, index) => {
            if (prediction.output.trim() === samples[index]!.output.trim())
                correct++;
            if (prediction.taskId === task.id)
                routed++;
        });
        total += samples.length;
        accuracies.push(correct / samples.length);
    }

    for (let row = matrix.length; row < order.length; row++) {
        matrix.push(accuracies.slice(0, row + 1));
        if (row < order.length - 1)
            sharedRows.push(row);
    }
    return await store.addEvaluation({
        mode,
        tasks: order,
        accuracyMatrix: matrix,
        selectorAccuracy: mode === "dynamic" && total > 0 ? routed / total : null,
        details: {source: "extension", measuredOn, sharedRows, samplesPerTask}
    });
}
