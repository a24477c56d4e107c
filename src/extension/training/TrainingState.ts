import * as vscode from "vscode";
import type {ConpetTrainProgress} from "../../core/Conpet/types";
import type {LossPoint} from "../../vocabulary/types";
import {TrainingEstimator, type TrainingEstimate, type TrainingPlan} from "./TrainingEstimator";

/** Progress of a running `Conpet.train`, as reported through `onProgress`. */
export type TrainProgress = ConpetTrainProgress;

/**
 * The one training that may run at a time: its progress, its live loss curve and the way to cancel
 * it. The train command drives it; the status bar, the sidebar and the panel only listen.
 */
export class TrainingState implements vscode.Disposable {
    private readonly _onDidChange = new vscode.EventEmitter<void>();
    private _controller: AbortController | undefined;
    private _progress: TrainProgress | undefined;
    private _lossCurves = new Map<string, LossPoint[]>();
    private _estimator: TrainingEstimator | undefined;
    private _estimate: TrainingEstimate | undefined;
    private _earlierRunsEstimate: {seconds: number; at: number} | undefined;

    public readonly onDidChange = this._onDidChange.event;

    public get isRunning(): boolean {
        return this._controller !== undefined;
    }

    public get progress(): TrainProgress | undefined {
        return this._progress;
    }

    /**
     * Time left of the whole training: once some of its work was timed, the live estimate; before,
     * the one from earlier runs' throughput counting down, if there was one.
     */
    public get estimate(): TrainingEstimate | undefined {
        if (this._estimate !== undefined || this._earlierRunsEstimate === undefined)
            return this._estimate;
        const {seconds, at} = this._earlierRunsEstimate;
        return {seconds: Math.max(0, seconds - (performance.now() - at) / 1000), lowerBound: false, fromEarlierRuns: true};
    }

    /** Loss points of the current (or last) training, per task name (`""` for shared phases). */
    public get lossCurves(): ReadonlyMap<string, readonly LossPoint[]> {
        return this._lossCurves;
    }

    /** Starts a training; returns its abort signal. Throws when one already runs. */
    public start(): AbortSignal {
        if (this._controller !== undefined)
            throw new Error("A training is already running.");
        this._controller = new AbortController();
        this._progress = undefined;
        this._lossCurves = new Map();
        this._estimator = undefined;
        this._estimate = undefined;
        this._earlierRunsEstimate = undefined;
        this._onDidChange.fire();
        return this._controller.signal;
    }

    /**
     * What the running training will do, for the estimate of the time left, and the seconds its
     * training runs take at earlier runs' throughput (`null` when none was recorded).
     */
    public setPlan(plan: TrainingPlan, earlierRunsSeconds: number | null): void {
        this._estimator = new TrainingEstimator(plan);
        this._earlierRunsEstimate = earlierRunsSeconds === null ? undefined : {seconds: earlierRunsSeconds, at: performance.now()};
        this._onDidChange.fire();
    }

    public report(progress: TrainProgress): void {
        this._progress = progress;
        this._estimate = this._estimator?.report(progress);
        if (progress.loss !== undefined && Number.isFinite(progress.loss)) {
            const key = progress.task ?? "";
            const curve = this._lossCurves.get(key) ?? [];
            if (curve.at(-1)?.step !== progress.step)
                curve.push({step: progress.step, loss: progress.loss});
            this._lossCurves.set(key, curve);
        }
        this._onDidChange.fire();
    }

    /** Cancels the running training, if any; returns whether one was running. */
    public cancel(): boolean {
        if (this._controller === undefined)
            return false;
        this._controller.abort();
        return true;
    }

    public finish(): void {
        this._controller = undefined;
        this._progress = undefined;
        this._estimator = undefined;
        this._estimate = undefined;
        this._earlierRunsEstimate = undefined;
        this._onDidChange.fire();
    }

    public dispose(): void {
        this._controller?.abort();
        this._onDidChange.dispose();
    }
}
