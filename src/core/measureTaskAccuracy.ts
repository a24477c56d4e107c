/**
 * The one measurement the benchmark and the training evaluation share: a task's samples answered
 * task-agnostically, as Run on Selection answers them (the strategy routes each input itself),
 * and scored by exact match.
 */
import {isExactMatch} from "./metrics";
import type {ConpetStrategy, Prediction} from "./strategies/types";

export type TaskMeasurement = {
    predictions: Prediction[];
    correct: number;
    /** Where each input was routed first, for the selector's accuracy (dynamic mode). */
    routes: {expectedTaskId: number; routedTaskId: number | null}[];
};

export async function measureTaskAccuracy(strategy: ConpetStrategy, taskId: number, samples: readonly {input: string; output: string}[], signal?: AbortSignal): Promise<TaskMeasurement> {
    const predictions = await strategy.predict(samples.map((sample) => sample.input), {signal});
    return {
        predictions,
        correct: predictions.filter((prediction, i) => isExactMatch(prediction.output, samples[i]!.output)).length,
        routes: predictions.map((prediction) => ({expectedTaskId: taskId, routedTaskId: prediction.routes[0]?.taskId ?? null}))
    };
}
