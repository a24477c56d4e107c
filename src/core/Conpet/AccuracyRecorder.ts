/**
 * Records the accuracy matrix while `Conpet.train` learns tasks: right after each task is learned
 * (its module and, in dynamic mode, the selector), every learned task is measured on its held-out
 * samples and the matrix gains that task's row, stored as a new evaluation. The matrix continues
 * the one the previous training recorded, so the panel shows forgetting as it happened.
 */
import type {CoreStore} from "../dependencyTypes";
import {TaskNotFoundError} from "../../vocabulary/errors";
import {measureTaskAccuracy} from "../evaluation/measureTaskAccuracy";
import {getSelectorAccuracy} from "../evaluation/metrics";
import type {ConpetStrategy} from "../strategies/types";
import type {Evaluation, Sample, Task} from "../../vocabulary/types";

/** `details.source` of the evaluations recorded here; `"extension"` marks the older ones, measured after a whole training. */
export const trainingEvaluationSource = "train";
const continuedSources: readonly unknown[] = [trainingEvaluationSource, "extension"];

export type AccuracyRecorderOptions = {
    store: CoreStore;
    strategy: ConpetStrategy;
    /** Tasks whose current samples were learned before this training and are not relearned by it. */
    learnedTaskIds: readonly number[];
    /** Tasks this training learns, in order. */
    pending: readonly Task[];
    samplesPerTask: number;
};

export type RecordProgress = {step: number; totalSteps: number};

/** Where the held-out accuracy of each task came from (`details.measuredOn`). */
type MeasuredOn = Record<string, "test" | "train">;

export class AccuracyRecorder {
    private readonly _store: CoreStore;
    private readonly _strategy: ConpetStrategy;
    private readonly _samplesPerTask: number;
    private readonly _tasksByName: ReadonlyMap<string, Task>;
    private _order: string[];
    private _matrix: number[][];
    private _sharedRows: number[];
    /** Learned tasks the previous matrix does not cover; they join the first row measured. */
    private _unrecorded: string[];

    private constructor(options: AccuracyRecorderOptions, tasks: Task[], previous: {order: string[]; matrix: number[][]; sharedRows: number[]}) {
        this._store = options.store;
        this._strategy = options.strategy;
        this._samplesPerTask = options.samplesPerTask;
        this._tasksByName = new Map(tasks.map((task) => [task.name, task]));
        this._order = previous.order;
        this._matrix = previous.matrix;
        this._sharedRows = previous.sharedRows;
        const learned = new Set(options.learnedTaskIds);
        this._unrecorded = tasks.filter((task) => learned.has(task.id) && !previous.order.includes(task.name)).map((task) => task.name);
    }

    /**
     * Continues the last matrix a training recorded in this mode for as long as its tasks are
     * still learned from the samples they were measured with: a column only means one learning of
     * its task, so the matrix is cut at the first task that was deleted, relearned since (e.g. by a
     * training without `evaluate`) or is relearned now.
     */
    public static async create(options: AccuracyRecorderOptions): Promise<AccuracyRecorder> {
        const {store, strategy, learnedTaskIds, pending} = options;
        const tasks = await store.listTasks();
        const previous = (await store.listEvaluations())
            .filter((evaluation) => continuedSources.includes(evaluation.details.source) && evaluation.mode === strategy.mode)
            .at(-1);
        const learned = new Set(learnedTaskIds);
        const relearned = new Set(pending.map((task) => task.id));
        const idsByName = new Map(tasks.map((task) => [task.name, task.id]));
        // Evaluations recorded after a whole training (`"extension"`) carry no hashes.
        const recordedHashes = (previous?.details.samplesHashes ?? {}) as Record<string, unknown>;
        let kept = 0;
        for (const name of previous?.tasks ?? []) {
            const id = idsByName.get(name);
            if (id === undefined || !learned.has(id) || relearned.has(id) || previous!.accuracyMatrix[kept]?.length !== kept + 1)
                break;
            if (name in recordedHashes && recordedHashes[name] !== await store.getSamplesHash(id))
                break;
            kept++;
        }
        const sharedRows = Array.isArray(previous?.details.sharedRows)
            ? (previous.details.sharedRows as unknown[]).filter((row): row is number => typeof row === "number" && row < kept)
            : [];
        return new AccuracyRecorder(options, tasks, {
            order: previous?.tasks.slice(0, kept) ?? [],
            matrix: previous?.accuracyMatrix.slice(0, kept).map((row) => [...row]) ?? [],
            sharedRows
        });
    }

    /**
     * Measures every learned task after `task` was learned and stores the matrix with its new
     * row. Learned tasks the matrix did not cover yet get their rows from this same measurement
     * (listed in `details.sharedRows`). Nothing is stored if it is cancelled or fails.
     */
    public async recordAfter(task: Task, {signal, onProgress}: {signal?: AbortSignal; onProgress?(progress: RecordProgress): void} = {}): Promise<Evaluation> {
        const order = [...this._order, ...this._unrecorded.filter((name) => name !== task.name), task.name];
        const {accuracies, measuredOn, routes, samplesHashes} = await this._measure(order, {signal, onProgress});
        const matrix = this._matrix.map((row) => [...row]);
        const sharedRows = [...this._sharedRows];
        for (let row = matrix.length; row < order.length; row++) {
            matrix.push(accuracies.slice(0, row + 1));
            if (row < order.length - 1)
                sharedRows.push(row);
        }
        signal?.throwIfAborted();
        const evaluation = await this._store.addEvaluation({
            mode: this._strategy.mode,
            tasks: order,
            accuracyMatrix: matrix,
            selectorAccuracy: this._strategy.mode === "dynamic" ? getSelectorAccuracy(routes) : null,
            details: {source: trainingEvaluationSource, measuredOn, sharedRows, samplesPerTask: this._samplesPerTask, samplesHashes}
        });
        this._order = order;
        this._matrix = matrix;
        this._sharedRows = sharedRows;
        this._unrecorded = [];
        return evaluation;
    }

    /**
     * Task-agnostic, as Run on Selection: the inputs are routed by the strategy itself; exact
     * match. A task without held-out samples is measured on its training samples instead.
     */
    private async _measure(order: readonly string[], {signal, onProgress}: {signal?: AbortSignal; onProgress?(progress: RecordProgress): void}) {
        const samplesByTask: {task: Task; samples: Sample[]}[] = [];
        const measuredOn: MeasuredOn = {};
        // What each column measured, so a later training can tell whether the task was relearned since.
        const samplesHashes: Record<string, string> = {};
        for (const name of order) {
            const task = this._tasksByName.get(name);
            if (task === undefined)
                throw new TaskNotFoundError(name);
            samplesHashes[name] = await this._store.getSamplesHash(task.id);
            let samples = await this._store.listSamples(task.id, {split: "test", limit: this._samplesPerTask});
            measuredOn[name] = "test";
            if (samples.length === 0) {
                samples = await this._store.listSamples(task.id, {split: "train", limit: this._samplesPerTask});
                measuredOn[name] = "train";
            }
            samplesByTask.push({task, samples});
        }

        const totalSteps = samplesByTask.reduce((sum, {samples}) => sum + samples.length, 0);
        const accuracies: number[] = [];
        const routes: {expectedTaskId: number; routedTaskId: number | null}[] = [];
        let step = 0;
        onProgress?.({step, totalSteps});
        for (const {task, samples} of samplesByTask) {
            signal?.throwIfAborted();
            if (samples.length === 0) {
                accuracies.push(0);
                continue;
            }
            const measurement = await measureTaskAccuracy(this._strategy, task.id, samples, signal);
            accuracies.push(measurement.correct / samples.length);
            routes.push(...measurement.routes);
            step += samples.length;
            onProgress?.({step, totalSteps});
        }
        return {accuracies, measuredOn, routes, samplesHashes};
    }
}
