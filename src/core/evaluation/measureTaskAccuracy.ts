/**
 * The one measurement the benchmark and the training evaluation share: a task's samples answered
 * task-agnostically, as Run on Selection answers them (the strategy routes each input itself),
 * and scored by exact match.
 */
import {isExactMatch} from "./metrics";
import type {ConpetStrategy, Prediction} from "../strategies/types";

export type TaskMeasurement = {
    predictions: Prediction[];
    correct: number;
    /** Where each input was routed first and with what probability, for the selector's accuracy and calibration. */
    routes: {expectedTaskId: number; routedTaskId: number | null; probability: number}[];
};

export async function measureTaskAccuracy(strategy: Pick<ConpetStrategy, "predict">, taskId: number, samples: readonly {input: string; output: string}[], signal?: AbortSignal): Promise<TaskMeasurement> {
    const predictions = await strategy.predict(samples.map((sample) => sample.input), {signal});
    return {
        predictions,
        correct: predictions.filter((prediction, i) => isExactMatch(prediction.output, samples[i]!.output)).length,
        routes: predictions.map((prediction) => ({expectedTaskId: taskId, routedTaskId: prediction.routes[0]?.taskId ?? null, probability: prediction.routes[0]?.probability ?? 0}))
    };
}
