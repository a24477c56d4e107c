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
    if (estimate !== undefined && estimate !== null)
        parts.push(formatTimeLeft(estimate));
    return parts.join(" · ");
}

/** "about 6 min 23 s left", or "at least 6 min left" while a phase has not been timed yet. */
export function formatTimeLeft({seconds, lowerBound}: TrainingEstimate): string {
    return `${lowerBound ? "at least" : "about"} ${formatDuration(seconds)} left`;
}
