/**
 * The service the extension and the CLI use: what is learned (`getStatus`), learning what is new
 * or changed (`train`), and answering (`predict` routes, `runTask` is told the task). It owns no
 * process itself: the store, the engine client and the trainer client are passed in and stay the
 * caller's to dispose.
 */
import type {ModelInfo} from "../../engine/protocol";
import type {CoreEngine, CoreStore, CoreTrainer} from "../dependencyTypes";
import {CancelledError, ConpetError, DisposedError, errorToPayload, InvalidInputError, type ErrorPayload} from "../errors";
import {DynamicConpetStrategy} from "../strategies/DynamicConpetStrategy";
import {createStrategy} from "../strategies/createStrategy";
import type {ConpetStrategy, Prediction, StrategyContext} from "../strategies/types";
import {parseModuleState} from "../strategies/utils/parseModuleState";
import type {Evaluation, Task} from "../types";
import {AccuracyRecorder} from "./AccuracyRecorder";
import {resolveConpetSettings, type ConpetSettings, type ConpetSettingsInput} from "./resolveConpetSettings";
import {defaultEvaluationSamplesPerTask, type ConpetStatus, type ConpetTaskStatus, type ConpetTrainOptions, type ConpetTrainProgress, type ConpetTrainResult} from "./types";

export type ConpetEngine = CoreEngine & {
    load(params: {modelPath: string; gpuLayers: ConpetSettings["gpuLayers"]; threads: number; contextSize?: number}, options?: {signal?: AbortSignal}): Promise<ModelInfo>;
};

export type ConpetOptions = {
    store: CoreStore;
    engine: ConpetEngine;
    trainer: CoreTrainer;
    /** `modelPath` is required; everything else defaults (see `resolveConpetSettings`). */
    settings: ConpetSettingsInput;
    onLog?(message: string): void;
};

export class Conpet {
    private readonly _context: StrategyContext;
    private readonly _strategy: ConpetStrategy;
    private readonly _engine: ConpetEngine;
    private _modelInfo: ModelInfo;
    private _training: AbortController | undefined;
    private _disposed = false;

    private constructor(context: StrategyContext, engine: ConpetEngine, modelInfo: ModelInfo) {
        this._context = context;
        this._engine = engine;
        this._modelInfo = modelInfo;
        this._strategy = createStrategy(context);
    }

    /** Loads the model in the engine (unless it already is) and returns the service. */
    public static async create({store, engine, trainer, settings, onLog}: ConpetOptions): Promise<Conpet> {
        const resolved = resolveConpetSettings(settings);
        if (resolved.modelPath === "")
            throw new ConpetError("MODEL_NOT_SELECTED", "No model is selected. Pick a .gguf file with \"ConPET: Select Model…\" or pass --model.");
        const modelInfo = await ensureModelLoaded(engine, resolved);
        const context: StrategyContext = {
            store, engine, trainer, settings: resolved, modelPath: resolved.modelPath, modelFingerprint: modelInfo.fingerprint, cpuThreads: modelInfo.threads, embeddingCache: new Map(), onLog
        };
        return new Conpet(context, engine, modelInfo);
    }

    public get settings(): ConpetSettings {
        return this._context.settings;
    }

    public get isTraining(): boolean {
        return this._training !== undefined;
    }

    public async getStatus(): Promise<ConpetStatus> {
        this._throwIfDisposed();
        const {store, settings} = this._context;
        const [tasks, modules, learned] = await Promise.all([store.listTasks(), store.listModules(), this._strategy.getLearnedTaskIds()]);
        const shared = modules.find((m) => m.kind === "shared-lora") ?? null;
        const sharedTasks = new Set(parseModuleState(shared?.samplesHash).tasks.map((t) => t.id));
        const statuses: ConpetTaskStatus[] = await Promise.all(tasks.map(async (task) => {
            const module = settings.mode === "dynamic"
                ? modules.find((m) => m.kind === "task-lora" && m.taskId === task.id) ?? null
                : sharedTasks.has(task.id) ? shared : null;
            const state = learned.includes(task.id) ? "ready" : module != null ? "stale" : "untrained";
            return {
                task,
                state,
                trainSamples: await store.countSamples({taskId: task.id, split: "train"}),
                testSamples: await store.countSamples({taskId: task.id, split: "test"}),
                module
            };
        }));
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
            tasks: statuses,
            selector: selectorModule == null ? null : {
                kind: parseModuleState(selectorModule.samplesHash).selectorKind ?? "embedding",
                module: selectorModule,
                accuracy: selectorModule.metrics.heldOutAccuracy ?? null
            },
            sharedModule: shared,
            replay: {tasks: statuses.filter((s) => s.trainSamples > 0).length, samples: statuses.reduce((sum, s) => sum + s.trainSamples, 0)},
            lastEvaluation: evaluations.at(-1) ?? null
        };
    }

    /**
     * Learns every task whose samples are new or changed, in creation order, each at the fixed
     * step budget; Dynamic retrains the selector after each. With `evaluate`, every learned task is
     * measured after each task and the accuracy matrix stored with its new row. A cancelled or
     * failed run leaves the previous modules in place (and stores no half-measured row).
     */
    public async train({signal, onProgress, evaluate, onEvaluation}: ConpetTrainOptions = {}): Promise<ConpetTrainResult> {
        this._throwIfDisposed();
        if (this._training !== undefined)
            throw new ConpetError("INVALID_INPUT", "A training is already running. Wait for it or cancel it first.");
        const samplesPerTask = evaluate?.samplesPerTask ?? defaultEvaluationSamplesPerTask;
        if (!Number.isInteger(samplesPerTask) || samplesPerTask < 1)
            throw new InvalidInputError(`evaluate.samplesPerTask must be a whole number of at least 1, not ${samplesPerTask}.`);
        const controller = new AbortController();
        const onAbort = () => controller.abort();
        signal?.addEventListener("abort", onAbort);
        this._training = controller;
        try {
            await ensureModelLoaded(this._engine, this._context.settings, controller.signal).then((info) => {
                this._modelInfo = info;
                this._context.modelFingerprint = info.fingerprint;
                this._context.cpuThreads = info.threads;
            });
            const {store} = this._context;
            const learned = new Set(await this._strategy.getLearnedTaskIds());
            const pending: Task[] = [];
            for (const task of await store.listTasks())
                if (!learned.has(task.id) && await store.countSamples({taskId: task.id, split: "train"}) > 0)
                    pending.push(task);

            const recorder = evaluate === undefined || pending.length === 0
                ? undefined
                : await AccuracyRecorder.create({store, strategy: this._strategy, learnedTaskIds: [...learned], pending, samplesPerTask});
            const results: ConpetTrainResult["learned"] = [];
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
                    try {
                        onProgress?.({
                            ...progress, taskIndex, taskCount: pending.length, fraction: Math.min(1, done / pending.length),
                            ...(done > 0 ? {etaSeconds: elapsed / done * (pending.length - done)} : {})
                        });
                    } catch (err) {
                        this._context.onLog?.(`onProgress threw: ${String(err)}`);
                    }
                };
                const result = await this._strategy.learnTask(task, {signal: controller.signal, onProgress: report});
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
            if (pending.length === 0 && this._strategy instanceof DynamicConpetStrategy)
                selectorRetrained = await this._retrainStaleSelector(controller.signal);
            return {learned: results, selectorRetrained, evaluations, ...(evaluationError === undefined ? {} : {evaluationError})};
        } catch (err) {
            if (controller.signal.aborted && !(err instanceof CancelledError))
                throw new CancelledError("Training was cancelled.");
            throw err;
        } finally {
            signal?.removeEventListener("abort", onAbort);
            this._training = undefined;
        }
    }

    /** Routes the input to its task module(s) and answers (`Run on Selection`). */
    public async predict(input: string, {signal}: {signal?: AbortSignal} = {}): Promise<Prediction> {
        return (await this.predictMany([input], {signal}))[0]!;
    }

    public async predictMany(inputs: readonly string[], {signal}: {signal?: AbortSignal} = {}): Promise<Prediction[]> {
        this._throwIfDisposed();
        if ((await this._strategy.getLearnedTaskIds()).length === 0 && (await this._context.store.listModules()).length === 0)
            throw new ConpetError("NOT_TRAINED", "Nothing is trained yet. Add examples to a task and run \"ConPET: Train\" first.");
        return this._strategy.predict(inputs, {signal});
    }

    /** Answers with the named task's module (`Run Task…`). */
    public async runTask(task: Task | string | number, input: string, {signal}: {signal?: AbortSignal} = {}): Promise<Prediction> {
        this._throwIfDisposed();
        const resolved = typeof task === "object" ? task : await this._context.store.getTask(task);
        return (await this._strategy.predictForTask(resolved, [input], {signal}))[0]!;
    }

    /** Cancels a running training. The store, engine and trainer stay the caller's. Idempotent. */
    public dispose(): void {
        if (this._disposed)
            return;
        this._disposed = true;
        this._training?.abort();
    }

    private async _retrainStaleSelector(signal: AbortSignal): Promise<boolean> {
        const strategy = this._strategy as DynamicConpetStrategy;
        const {store} = this._context;
        const selector = await store.getModule(null, "selector");
        const covered = parseModuleState(selector?.samplesHash).tasks.map((t) => t.id).sort((a, b) => a - b).join(",");
        const withModules = (await store.listModules()).filter((m) => m.kind === "task-lora" && m.taskId != null).map((m) => m.taskId!);
        const expected = [...withModules].sort((a, b) => a - b).join(",");
        const kindChanged = selector != null && (parseModuleState(selector.samplesHash).selectorKind ?? "embedding") !== this._context.settings.selectorKind;
        if (withModules.length === 0 || (covered === expected && !kindChanged))
            return false;
        await strategy.retrainSelector(await store.getTask(withModules.at(-1)!), {signal});
        return true;
    }

    private _throwIfDisposed(): void {
        if (this._disposed)
            throw new DisposedError("ConPET");
    }
}

async function ensureModelLoaded(engine: ConpetEngine, settings: ConpetSettings, signal?: AbortSignal): Promise<ModelInfo> {
    const info = await engine.info({}, {signal});
    if (info != null && info.modelPath === settings.modelPath)
        return info;
    return engine.load({modelPath: settings.modelPath, gpuLayers: settings.gpuLayers, threads: settings.threads}, {signal});
}
