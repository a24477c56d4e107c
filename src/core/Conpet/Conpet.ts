/**
 * The service the extension and the CLI use: what is learned (`getStatus`), learning what is new
 * or changed (`train`), and answering (`predict` routes, `runTask` is told the task). It owns no
 * process itself: the store, the engine client and the trainer client are passed in and stay the
 * caller's to dispose.
 */
import type {ModelInfo} from "../../vocabulary/engineProtocol";
import type {CoreEngine, CoreStore, CoreTrainer} from "../dependencyTypes";
import {CancelledError, ConpetError, DisposedError, errorToPayload, InvalidInputError, ModuleMissingError, type ErrorPayload} from "../../vocabulary/errors";
import {getTaskModuleStates} from "../moduleStates/getTaskModuleStates";
import {parseModuleCoverage} from "../moduleStates/moduleCoverage";
import type {TaskModuleStatus} from "../moduleStates/types";
import {maxSampleChars} from "../../vocabulary/maxSampleChars";
import {createStrategy} from "../strategies/createStrategy";
import type {ConpetStrategy, Prediction, PredictionRoute, PredictOptions, StrategyContext} from "../strategies/types";
import type {Evaluation, Task} from "../../vocabulary/types";
import {AccuracyRecorder} from "./AccuracyRecorder";
import {estimateTrainingSeconds, getMeanSampleChars, getTrainingThroughput, type PlannedRun} from "./estimateTrainingSeconds";
import {formatCompletion, formatPrompt} from "../formatPrompt";
import {getTaskSteps} from "../strategies/utils/taskStepBudget";
import type {ConpetSettings, ConpetSettingsInput} from "../settings/conpetSettingsSchema";
import {resolveConpetSettings} from "../settings/resolveConpetSettings";
import {
    defaultEvaluationSamplesPerTask, trainingLeaseHeartbeatMs, type ConpetStatus, type ConpetTrainOptions, type ConpetTrainProgress,
    type ConpetTrainingPlan, type ConpetTrainResult
} from "./types";

export type ConpetEngine = CoreEngine & {
    load(params: {modelPath: string; gpuLayers: ConpetSettings["gpuLayers"]; threads: number; contextSize?: number}, options?: {signal?: AbortSignal}): Promise<ModelInfo>;
};

export type ConpetOptions = {
    store: CoreStore;
    engine: ConpetEngine;
    trainer: CoreTrainer;
    /** `modelPath` is required; everything else defaults (see `resolveConpetSettings`). */
    settings: ConpetSettingsInput;
    /** Who trains, as another window that finds the store busy says it ("VS Code window", "conpet train"). Defaults to `"ConPET"`. */
    ownerLabel?: string;
    onLog?(message: string): void;
};

export class Conpet {
    private readonly _context: StrategyContext;
    private readonly _strategy: ConpetStrategy;
    private readonly _engine: ConpetEngine;
    private _modelInfo: ModelInfo;
    private readonly _ownerLabel: string;
    private _training: AbortController | undefined;
    private _trainingTaskId: number | undefined;
    private _leaseToken: string | undefined;
    private _disposed = false;

    private constructor(context: StrategyContext, engine: ConpetEngine, modelInfo: ModelInfo, ownerLabel: string) {
        this._context = context;
        this._engine = engine;
        this._modelInfo = modelInfo;
        this._ownerLabel = ownerLabel;
        this._strategy = createStrategy(context);
    }

    /** Loads the model in the engine (unless it already is) and returns the service. */
    public static async create({store, engine, trainer, settings, ownerLabel = "ConPET", onLog}: ConpetOptions): Promise<Conpet> {
        const resolved = resolveConpetSettings(settings);
        if (resolved.modelPath === "")
            throw new ConpetError("MODEL_NOT_SELECTED", "No model is selected. Pick a .gguf file with \"ConPET: Select Model…\" or pass --model.");
        const modelInfo = await ensureModelLoaded(engine, resolved);
        const context: StrategyContext = {
            store, engine, trainer, settings: resolved, modelPath: resolved.modelPath, modelFingerprint: modelInfo.fingerprint, cpuThreads: modelInfo.threads, embeddingCache: new Map(), onLog
        };
        return new Conpet(context, engine, modelInfo, ownerLabel);
    }

    public get isTraining(): boolean {
        return this._training !== undefined;
    }

    public async getStatus(): Promise<ConpetStatus> {
        this._throwIfDisposed();
        const {store, settings} = this._context;
        const [modules, statuses, lease] = await Promise.all([
            store.listModules({baseModelFingerprint: this._context.modelFingerprint}),
            this._getModuleStates((status) => status.task.id === this._trainingTaskId),
            store.getTrainingLease()
        ]);
        const shared = modules.find((m) => m.kind === "shared-lora") ?? null;
        const selectorModule = modules.find((m) => m.kind === "selector") ?? null;
        const evaluations = await store.listEvaluations();
        let engineInfo: ModelInfo | null = this._modelInfo;
        try {
            engineInfo = await this._engine.info({});
        } catch (err) {
            this._context.onLog?.(`engine info failed: ${String(err)}`);
        }
        return {
            mode: settings.mode,
            modelPath: settings.modelPath,
            engine: engineInfo,
            training: this.isTraining,
            trainingElsewhere: lease === undefined || lease.token === this._leaseToken ? null : {pid: lease.pid, label: lease.label, startedAt: lease.startedAt, progress: lease.progress},
            tasks: statuses,
            selector: selectorModule == null ? null : {
                kind: parseModuleCoverage(selectorModule.samplesHash).selectorKind ?? "embedding",
                module: selectorModule,
                accuracy: selectorModule.metrics.heldOutAccuracy ?? null
            },
            sharedModule: shared,
            replay: {tasks: statuses.filter((s) => s.trainSamples > 0).length, samples: statuses.reduce((sum, s) => sum + s.trainSamples, 0)},
            lastEvaluation: evaluations.at(-1) ?? null
        };
    }

    /**
     * Learns every task whose samples are new or changed, in creation order, each at its step
     * budget (`getTaskSteps`); Dynamic retrains the selector after each. With `evaluate`, every learned task is
     * measured after each task and the accuracy matrix stored with its new row. A cancelled or
     * failed run leaves the previous modules in place (and stores no half-measured row). `all`
     * relearns every task with samples (after a model switch, every module for the new base model).
     * Holds the store's training lease throughout: `TRAINING_BUSY` while another process trains it.
     * A task deleted while the training runs is skipped (`skipped`), not an error.
     */
    public async train({signal, onProgress, evaluate, onEvaluation, all = false}: ConpetTrainOptions = {}): Promise<ConpetTrainResult> {
        this._throwIfDisposed();
        if (this._training !== undefined)
            throw new ConpetError("INVALID_INPUT", "A training is already running. Wait for it or cancel it first.");
        const samplesPerTask = evaluate?.samplesPerTask ?? defaultEvaluationSamplesPerTask;
        if (!Number.isInteger(samplesPerTask) || samplesPerTask < 1)
            throw new InvalidInputError(`evaluate.samplesPerTask must be a whole number of at least 1, not ${samplesPerTask}.`);
        const {store} = this._context;
        const controller = new AbortController();
        const onAbort = () => controller.abort();
        signal?.addEventListener("abort", onAbort);
        this._training = controller;
        let heartbeat: ReturnType<typeof setInterval> | undefined;
        try {
            const lease = await store.acquireTrainingLease({label: this._ownerLabel});
            this._leaseToken = lease.token;
            let lastProgress: ConpetTrainProgress | undefined;
            let renewing = Promise.resolve();
            heartbeat = setInterval(() => {
                renewing = renewing.then(async () => {
                    if (!await store.renewTrainingLease(lease.token, lastProgress ?? null)) {
                        this._context.onLog?.("Another process took over this store's training lease (this one stopped renewing it); cancelling this training.");
                        controller.abort();
                    }
                }).catch((err: unknown) => this._context.onLog?.(`Could not renew the training lease: ${String(err)}`));
            }, trainingLeaseHeartbeatMs);
            heartbeat.unref?.();

            await ensureModelLoaded(this._engine, this._context.settings, controller.signal).then((info) => {
                this._modelInfo = info;
                this._context.modelFingerprint = info.fingerprint;
                this._context.cpuThreads = info.threads;
            });
            const {learned, pending} = await this._listPending(all);

            const recorder = evaluate === undefined || pending.length === 0
                ? undefined
                : await AccuracyRecorder.create({store, strategy: this._strategy, learnedTaskIds: [...learned], pending, samplesPerTask});
            const results: ConpetTrainResult["learned"] = [];
            const skipped: string[] = [];
            const evaluations: Evaluation[] = [];
            let evaluationError: ErrorPayload | undefined;
            const started = performance.now();
            for (const [taskIndex, task] of pending.entries()) {
                if (controller.signal.aborted)
                    throw new CancelledError("Training was cancelled.");
                const report = (progress: {phase: ConpetTrainProgress["phase"]; task?: string; step: number; totalSteps: number; loss?: number}) => {
                    const elapsed = (performance.now() - started) / 1000;
                    // Only the task's own run moves within its share; the selector and the measurement come after it.
                    const within = progress.phase !== "task" ? 1 : progress.totalSteps > 0 ? progress.step / progress.totalSteps : 0;
                    const done = taskIndex + within;
                    lastProgress = {
                        ...progress, taskIndex, taskCount: pending.length, fraction: Math.min(1, done / pending.length),
                        ...(done > 0 ? {etaSeconds: elapsed / done * (pending.length - done)} : {})
                    };
                    try {
                        onProgress?.(lastProgress);
                    } catch (err) {
                        this._context.onLog?.(`onProgress threw: ${String(err)}`);
                    }
                };
                this._trainingTaskId = task.id;
                let result;
                try {
                    result = await this._strategy.learnTask(task, {signal: controller.signal, onProgress: report});
                } catch (err) {
                    // Deleting a task in the tree while it trains makes its run fail (its samples and row are gone): skip it, keep the others.
                    if (controller.signal.aborted || await taskExists(store, task.id))
                        throw err;
                    skipped.push(task.name);
                    this._context.onLog?.(`Task "${task.name}" was deleted during training; skipped it.`);
                    continue;
                } finally {
                    this._trainingTaskId = undefined;
                }
                results.push({task: task.name, ...result});
                if (recorder !== undefined && evaluationError === undefined) {
                    let evaluation: Evaluation;
                    try {
                        evaluation = await recorder.recordAfter(task, {signal: controller.signal, onProgress: (p) => report({phase: "evaluate", task: task.name, ...p})});
                    } catch (err) {
                        if (controller.signal.aborted)
                            throw err;
                        // The module is learned and kept; a row missing in the middle would shift the matrix, so measuring stops here.
                        evaluationError = errorToPayload(err);
                        this._context.onLog?.(`Measuring accuracy after "${task.name}" failed (${evaluationError.code}): ${evaluationError.message}. No further rows are recorded in this training.`);
                        continue;
                    }
                    evaluations.push(evaluation);
                    try {
                        onEvaluation?.(evaluation);
                    } catch (err) {
                        this._context.onLog?.(`onEvaluation threw: ${String(err)}`);
                    }
                }
            }

            let selectorRetrained = false;
            if (results.length === 0 || skipped.length > 0)
                selectorRetrained = await this._strategy.retrainStaleSelector({signal: controller.signal});
            return {learned: results, skipped, selectorRetrained, evaluations, ...(evaluationError === undefined ? {} : {evaluationError})};
        } catch (err) {
            if (controller.signal.aborted && !(err instanceof CancelledError))
                throw new CancelledError("Training was cancelled.");
            throw err;
        } finally {
            clearInterval(heartbeat);
            signal?.removeEventListener("abort", onAbort);
            if (this._leaseToken !== undefined)
                await store.releaseTrainingLease(this._leaseToken).catch((err: unknown) => this._context.onLog?.(`Could not release the training lease: ${String(err)}`));
            this._leaseToken = undefined;
            this._training = undefined;
        }
    }

    /**
     * What `train` would learn (the same tasks, in order) with each task's step budget, and about how
     * many seconds its training runs take at the rate of the last finished runs on this model (`null`
     * when none was recorded). Accuracy measurement and engine loading are not in it.
     */
    public async planTraining({all = false}: {all?: boolean} = {}): Promise<ConpetTrainingPlan> {
        this._throwIfDisposed();
        const {store, settings} = this._context;
        const {pending} = await this._listPending(all);
        const throughput = getTrainingThroughput(await store.listRuns({limit: 20}), settings.modelPath);
        const tasks: ConpetTrainingPlan["tasks"] = [];
        const runs: PlannedRun[] = [];
        for (const task of pending) {
            const samples = (await store.listSamples(task.id, {split: "train"})).slice(0, settings.maxSamplesPerTask);
            const steps = getTaskSteps(settings, samples.length);
            tasks.push({taskId: task.id, task: task.name, steps});
            const instruction = settings.mode === "dynamic" ? task.instruction : null;
            const meanSampleChars = getMeanSampleChars(samples.map((sample) => ({
                prompt: formatPrompt({instruction, input: sample.input, template: this._context.promptTemplate, maxInputChars: settings.maxInputChars}),
                completion: formatCompletion(sample.output)
            })));
            // The LoRA selector is a run of the same budget after each task (its rows are about as long).
            const runsPerTask = settings.mode === "dynamic" && settings.selectorKind === "lora" ? 2 : 1;
            for (let i = 0; i < runsPerTask; i++)
                runs.push({steps, batchSize: settings.batchSize, meanSampleChars});
        }
        return {tasks, seconds: throughput === null ? null : estimateTrainingSeconds(runs, throughput)};
    }

    /** The tasks `train` learns: not learned for this model (every one with `all`) and with train samples, in creation order. */
    private async _listPending(all: boolean): Promise<{learned: Set<number>; pending: Task[]}> {
        const {store} = this._context;
        const learned = new Set(all ? [] : await this._strategy.getLearnedTaskIds());
        const pending: Task[] = [];
        for (const task of await store.listTasks())
            if (!learned.has(task.id) && await store.countSamples({taskId: task.id, split: "train"}) > 0)
                pending.push(task);
        return {learned, pending};
    }

    /**
     * Routes the input to its task module(s) and answers (`Run on Selection`). `onText` streams a
     * generated answer as it grows; a classification answer comes whole.
     */
    public async predict(input: string, {signal, onText}: {signal?: AbortSignal; onText?(text: string): void} = {}): Promise<Prediction> {
        return (await this.predictMany([input], {signal, onText: onText && ((_, text) => onText(text))}))[0]!;
    }

    /**
     * The selector's top-k tasks for the input, most probable first, without answering (a code
     * action names them; the chat sends what no task claims to the base model). `null` in the modes
     * without a selector (static and the baselines), where one module answers everything.
     */
    public async route(input: string, {signal}: {signal?: AbortSignal} = {}): Promise<PredictionRoute[] | null> {
        this._throwIfDisposed();
        throwIfUnfitInput(input, "The input");
        const {store} = this._context;
        if (this._strategy.mode === "dynamic") {
            const selector = await store.getModule(null, "selector", this._context.modelFingerprint);
            if (selector == null)
                throw new ConpetError("NOT_TRAINED", "Nothing is trained yet, so nothing can be routed. Add examples to a task and run \"ConPET: Train\" first.");
            const selectorFile = await store.checkModuleFile(selector);
            if (selectorFile !== "present")
                throw new ModuleMissingError([], selectorFile);
        }
        const [routes] = await this._strategy.route([input], {signal}) ?? [];
        if (routes === undefined)
            return null;
        const names = new Map((await store.listTasks()).map((task) => [task.id, task.name]));
        return routes.flatMap((route) => {
            const task = names.get(route.taskId);
            return task === undefined ? [] : [{taskId: route.taskId, task, probability: route.probability}];
        });
    }

    public async predictMany(inputs: readonly string[], {signal, onText}: PredictOptions = {}): Promise<Prediction[]> {
        this._throwIfDisposed();
        inputs.forEach((input, index) => throwIfUnfitInput(input, inputs.length === 1 ? "The input" : `Input ${index + 1}`));
        const states = await this._getModuleStates();
        throwIfModulesMissing(states.filter((status) => status.state === "missing"));
        const selector = this._strategy.mode === "dynamic" ? await this._context.store.getModule(null, "selector", this._context.modelFingerprint) : undefined;
        const selectorFile = selector == null ? "present" : await this._context.store.checkModuleFile(selector);
        if (selectorFile !== "present")
            throw new ModuleMissingError([], selectorFile);
        if (!states.some((status) => status.module !== null)) {
            if (states.some((status) => status.reason === "other-base-model"))
                throw new ConpetError("NOT_TRAINED", `The tasks' modules were trained on another base model, never on ${this._context.modelPath}. Run "ConPET: Retrain All Tasks for This Model" (conpet train --all) to learn every task for this model from its stored samples; switching back to the other model reuses its modules.`, {data: {reason: "other-base-model"}});
            throw new ConpetError("NOT_TRAINED", "Nothing is trained yet. Add examples to a task and run \"ConPET: Train\" first.");
        }
        return this._strategy.predict(inputs, {signal, onText});
    }

    /** Answers with the named task's module (`Run Task…`). */
    public async runTask(task: Task | string | number, input: string, {signal}: {signal?: AbortSignal} = {}): Promise<Prediction> {
        this._throwIfDisposed();
        throwIfUnfitInput(input, "The input");
        const resolved = typeof task === "object" ? task : await this._context.store.getTask(task);
        const status = (await this._getModuleStates()).find((s) => s.task.id === resolved.id);
        if (status?.state === "missing")
            throwIfModulesMissing([status]);
        if (status?.reason === "other-base-model")
            throw new ConpetError("NOT_TRAINED", `Task "${resolved.name}" was trained on another base model, not on ${this._context.modelPath}. Train it again for this model (conpet train).`, {data: {task: resolved.name, reason: "other-base-model"}});
        return (await this._strategy.predictForTask(resolved, [input], {signal}))[0]!;
    }

    /** Cancels a running training. The store, engine and trainer stay the caller's. Idempotent. */
    public dispose(): void {
        if (this._disposed)
            return;
        this._disposed = true;
        this._training?.abort();
    }

    private _getModuleStates(isTraining?: (status: TaskModuleStatus) => boolean): Promise<TaskModuleStatus[]> {
        return getTaskModuleStates(this._context.store, {mode: this._strategy.mode, baseModelFingerprint: this._context.modelFingerprint, isTraining});
    }

    private _throwIfDisposed(): void {
        if (this._disposed)
            throw new DisposedError("ConPET");
    }
}

/** An empty input has nothing to answer; a huge one is a whole file selected by mistake (the prompt keeps its first `maxInputChars`). */
function throwIfUnfitInput(input: string, what: string): void {
    if (input.trim() === "")
        throw new InvalidInputError(`${what} is empty: select or type the text to answer.`);
    if (input.length > maxSampleChars)
        throw new InvalidInputError(`${what} has ${input.length.toLocaleString("en-US")} characters; at most ${maxSampleChars.toLocaleString("en-US")} can be answered. Select a smaller part.`, {length: input.length, max: maxSampleChars});
}

function throwIfModulesMissing(missing: readonly TaskModuleStatus[]): void {
    if (missing.length > 0)
        throw new ModuleMissingError(missing.map((m) => m.task.name), missing.some((m) => m.reason === "file-missing") ? "missing" : "damaged");
}

async function taskExists(store: CoreStore, taskId: number): Promise<boolean> {
    return store.getTask(taskId).then(() => true, (err: unknown) => {
        if (ConpetError.is(err, "TASK_NOT_FOUND"))
            return false;
        throw err;
    });
}

async function ensureModelLoaded(engine: ConpetEngine, settings: ConpetSettings, signal?: AbortSignal): Promise<ModelInfo> {
    const info = await engine.info({}, {signal});
    if (info != null && info.modelPath === settings.modelPath)
        return info;
    return engine.load({modelPath: settings.modelPath, gpuLayers: settings.gpuLayers, threads: settings.threads}, {signal});
}
