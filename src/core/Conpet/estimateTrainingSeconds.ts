/**
 * An estimate of a training's time before it starts, from what the last finished training runs on
 * the same model took. A run's cost grows with the rows it trains (steps × batch) and their length,
 * so the rate kept is characters of training rows per wall-clock second (trainer start and model
 * load included, as the user waits for them); a planned run's time is its rows' characters over that
 * rate. The live estimate (the extension's `TrainingEstimator`) takes over once steps are timed.
 */
import type {TrainingRun} from "../../vocabulary/types";

/** Characters of training rows per second, from `runs` recorded runs. */
export type TrainingThroughput = {charactersPerSecond: number; runs: number};

/** A run to estimate: its steps, samples per step, and the mean characters of its samples (prompt and completion). */
export type PlannedRun = {steps: number; batchSize: number; meanSampleChars: number};

/** How many of the newest matching runs the rate averages: recent enough to follow the machine's load. */
const throughputRuns = 5;

/**
 * The rate of the newest succeeded runs on `modelPath` that recorded their size (`steps`,
 * `batchSize`, `meanSampleChars` in their details); `null` when there are none.
 */
export function getTrainingThroughput(runs: readonly Pick<TrainingRun, "status" | "startedAt" | "finishedAt" | "details">[], modelPath: string): TrainingThroughput | null {
    let characters = 0;
    let seconds = 0;
    let counted = 0;
    for (const run of [...runs].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))) {
        if (counted === throughputRuns)
            break;
        const {steps, batchSize, meanSampleChars, modelPath: runModel} = run.details;
        const elapsed = run.finishedAt === null ? NaN : (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
        if (run.status !== "succeeded" || runModel !== modelPath || !isPositive(steps) || !isPositive(batchSize) || !isPositive(meanSampleChars) || !isPositive(elapsed))
            continue;
        characters += steps * batchSize * meanSampleChars;
        seconds += elapsed;
        counted++;
    }
    return counted === 0 ? null : {charactersPerSecond: characters / seconds, runs: counted};
}

/** Seconds the planned runs take at `throughput`. */
export function estimateTrainingSeconds(runs: readonly PlannedRun[], throughput: TrainingThroughput): number {
    return runs.reduce((sum, run) => sum + run.steps * run.batchSize * run.meanSampleChars, 0) / throughput.charactersPerSecond;
}

/** Mean characters of training samples as the trainer gets them (formatted prompt and completion). */
export function getMeanSampleChars(samples: readonly {prompt: string; completion: string}[]): number {
    return samples.length === 0 ? 0 : samples.reduce((sum, sample) => sum + sample.prompt.length + sample.completion.length, 0) / samples.length;
}

function isPositive(value: unknown): value is number {
    return typeof value === "number" && Number.isFinite(value) && value > 0;
}
