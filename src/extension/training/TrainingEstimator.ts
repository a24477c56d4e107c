import type {ConpetTrainProgress} from "../../core/Conpet/types";

/** What a training will do, known when it starts: the work of every phase, task by task. */
export type TrainingPlan = {
    /** Optimizer steps of each task's run, in order (a small task's budget is smaller, see `getTaskSteps`). */
    taskSteps: number[];
    /** Per task to learn, in order: the samples measured after it (every task learned by then; 0 when not measured). */
    measuredSamples: number[];
    /** Whether the selector is retrained after each task (Dynamic ConPET). */
    selectorPerTask: boolean;
};

/**
 * Time left, and whether a phase not timed yet is left out of it (then it is a lower bound).
 * `fromEarlierRuns`: estimated before this training timed anything, from the last runs' throughput.
 */
export type TrainingEstimate = {seconds: number; lowerBound: boolean; fromEarlierRuns?: boolean};

type Rate = {seconds: number; units: number};

/**
 * Estimates the time left of a whole training from the time each kind of work took so far: seconds
 * per training step, per selector retraining and per measured sample, times what the plan has left
 * of each. The core's own ETA extrapolates the share of steps done, which leaves out that measuring
 * grows with every task learned (after task k, k tasks are measured).
 */
export class TrainingEstimator {
    private readonly _rates: Record<ConpetTrainProgress["phase"], Rate> = {task: {seconds: 0, units: 0}, selector: {seconds: 0, units: 0}, evaluate: {seconds: 0, units: 0}};
    private _last: {progress: ConpetTrainProgress; at: number} | undefined;

    public constructor(private readonly _plan: TrainingPlan, private readonly _now: () => number = () => performance.now()) {}

    /** Records a progress report; returns the estimate after it, or `undefined` before anything was timed. */
    public report(progress: ConpetTrainProgress): TrainingEstimate | undefined {
        const at = this._now();
        const last = this._last;
        this._last = {progress, at};
        if (last !== undefined) {
            // The time between two reports went into the earlier report's phase: its steps, or its finishing
            // when the phase changed (a selector retraining reports when it starts, so it is timed as a whole).
            const previous = last.progress;
            const samePhase = previous.phase === progress.phase && previous.taskIndex === progress.taskIndex;
            const rate = this._rates[previous.phase];
            rate.seconds += (at - last.at) / 1000;
            if (previous.phase === "selector")
                rate.units += samePhase ? 0 : 1;
            else
                rate.units += samePhase ? Math.max(0, progress.step - previous.step) : Math.max(0, previous.totalSteps - previous.step);
        }
        return this._estimate(progress);
    }

    private _estimate(progress: ConpetTrainProgress): TrainingEstimate | undefined {
        const {taskSteps, measuredSamples, selectorPerTask} = this._plan;
        const i = progress.taskIndex;
        const later = measuredSamples.slice(i + 1);
        const left = {
            task: (progress.phase === "task" ? Math.max(0, progress.totalSteps - progress.step) : 0) + taskSteps.slice(i + 1).reduce((sum, steps) => sum + steps, 0),
            selector: selectorPerTask ? later.length + (progress.phase === "evaluate" ? 0 : 1) : 0,
            evaluate: later.reduce((sum, samples) => sum + samples, 0)
                + (progress.phase === "evaluate" ? Math.max(0, progress.totalSteps - progress.step) : measuredSamples[i] ?? 0)
        };
        let seconds = 0;
        let lowerBound = false;
        let timed = false;
        for (const phase of ["task", "selector", "evaluate"] as const) {
            if (left[phase] === 0)
                continue;
            const rate = this._rates[phase];
            if (rate.units === 0) {
                lowerBound = true;
                continue;
            }
            timed = true;
            seconds += left[phase] * rate.seconds / rate.units;
        }
        return timed ? {seconds, lowerBound} : undefined;
    }
}
