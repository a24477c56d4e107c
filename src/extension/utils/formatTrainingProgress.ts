import type {TrainingEstimate} from "../training/TrainingEstimator";
import {formatDuration} from "./formatDuration";

/** The fields of a progress report this line needs (the host's `TrainProgress` and the panel's copy of it). */
export type ProgressLine = {
    phase: "task" | "selector" | "evaluate";
    task?: string | null;
    taskIndex: number;
    taskCount: number;
    step: number;
    totalSteps: number;
    loss?: number | null;
};

const phaseNames: Record<ProgressLine["phase"], string> = {task: "training its module", selector: "retraining the selector", evaluate: "measuring accuracy"};

/**
 * "log-level (1/2) · training its module, step 40/200 · loss 1.234 · about 6 min 23 s left": the phase
 * named, and "at least" while a phase has not been timed yet. Pure: the notification and the panel use it.
 */
export function formatTrainingProgress(progress: ProgressLine, estimate: TrainingEstimate | null | undefined): string {
    const parts: string[] = [];
    if (progress.task !== undefined && progress.task !== null)
        parts.push(`${progress.task} (${progress.taskIndex + 1}/${progress.taskCount})`);
    const counter = progress.totalSteps > 0 ? `, ${progress.phase === "evaluate" ? "sample" : "step"} ${progress.step}/${progress.totalSteps}` : "";
    parts.push(phaseNames[progress.phase] + counter);
    if (progress.loss !== undefined && progress.loss !== null && Number.isFinite(progress.loss))
        parts.push(`loss ${progress.loss.toFixed(3)}`);
    parts.push(formatTimeLeft(estimate));
    return parts.join(" · ");
}

/**
 * "about 6 min 23 s left", "at least 6 min left" while a phase has not been timed yet, "about 3 min
 * left (from earlier runs)" before this training timed anything (rounded: it is a rougher guess), and
 * "estimating…" when there is nothing to estimate from yet.
 */
export function formatTimeLeft(estimate: TrainingEstimate | null | undefined): string {
    if (estimate === undefined || estimate === null)
        return "estimating…";
    if (estimate.fromEarlierRuns === true)
        return `about ${formatDuration(roundRoughly(estimate.seconds))} left (from earlier runs)`;
    return `${estimate.lowerBound ? "at least" : "about"} ${formatDuration(estimate.seconds)} left`;
}

/** To 10 s under a minute (at least 10 s), whole minutes under an hour, 5 minutes beyond. */
export function roundRoughly(seconds: number): number {
    const step = seconds < 60 ? 10 : seconds < 3600 ? 60 : 300;
    return Math.max(10, Math.round(seconds / step) * step);
}
