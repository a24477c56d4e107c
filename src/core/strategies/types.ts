import type {ConpetSettings} from "../settings/conpetSettingsSchema";
import type {CoreEngine, CoreStore, CoreTrainer} from "../dependencyTypes";
import type {PromptTemplate} from "../formatPrompt";
import type {SelectorRoute} from "../Selector/types";
import type {Task} from "../../vocabulary/types";

/** Everything a strategy works with; built once by `Conpet` or the benchmark. */
export type StrategyContext = {
    store: CoreStore;
    engine: CoreEngine;
    trainer: CoreTrainer;
    settings: ConpetSettings;
    modelPath: string;
    /** `ModelInfo.fingerprint` of the loaded base model; recorded on every module. */
    modelFingerprint: string;
    /**
     * `ModelInfo.threads` of the loaded engine. With `settings.threads` 0 the trainer runs with as many, so "auto"
     * means the math cores for both; the trainer alone would count hyper-threads, which busy-wait against each other.
     */
    cpuThreads: number;
    /** Defaults to the plain template. */
    promptTemplate?: PromptTemplate;
    /** Reused embedding vectors (selector training and routing). */
    embeddingCache?: Map<string, number[]>;
    onLog?(message: string): void;
};

export type TrainPhase = "task" | "selector";

export type TrainProgress = {
    phase: TrainPhase;
    task?: string;
    step: number;
    totalSteps: number;
    loss?: number;
};

export type LearnTaskOptions = {
    signal?: AbortSignal;
    onProgress?(progress: TrainProgress): void;
};

/** What one `learnTask` cost, for the status panel and the benchmark. */
export type LearnTaskResult = {
    /** Seconds spent training the task's LoRA (or the shared LoRA). */
    trainSeconds: number;
    /** Seconds spent retraining the selector (dynamic only). */
    selectorSeconds: number;
    tokens: number;
    tokensPerSecond: number;
    trainableParameters: number;
    modelParameters: number;
    peakRssMb: number;
    finalLoss: number | null;
    moduleIds: number[];
};

export type PredictionRoute = {taskId: number; task: string; probability: number};

export type Prediction = {
    output: string;
    /** The task whose module (or label) produced the answer; null when none could. */
    taskId: number | null;
    task: string | null;
    moduleId: number | null;
    /** Route probability × the answer's probability among the scored labels (1 for generation). */
    confidence: number;
    routes: PredictionRoute[];
    /** Classification: every scored label, best first. */
    labelScores?: {label: string; task: string; score: number}[];
};

export type PredictOptions = {
    signal?: AbortSignal;
    /** Generated answers as they grow (`index` into the inputs); a classification answer has no such steps. Defaults to none. */
    onText?(index: number, text: string): void;
};

/** One continual-learning algorithm: learn tasks one at a time, answer task-agnostic inputs. */
export type ConpetStrategy = {
    readonly mode: ConpetSettings["mode"];
    /** Tasks whose module is `ready` for the loaded base model (see `getTaskModuleStates`). */
    getLearnedTaskIds(): Promise<number[]>;
    learnTask(task: Task, options?: LearnTaskOptions): Promise<LearnTaskResult>;
    /**
     * After a training that learned no task, or skipped one deleted meanwhile: retrains the selector
     * when it covers other tasks than those with a module, lost its file, or is of another kind than
     * the settings ask. Resolves `true` when it retrained it; `false` otherwise, always in the
     * single-LoRA modes, which have no selector.
     */
    retrainStaleSelector(options?: {signal?: AbortSignal}): Promise<boolean>;
    /** The selector's top-k tasks for each input, without answering; `null` in the single-LoRA modes, which have no selector. */
    route(inputs: readonly string[], options?: PredictOptions): Promise<SelectorRoute[][] | null>;
    /** Task-agnostic: routes each input itself (as `Run on Selection`). */
    predict(inputs: readonly string[], options?: PredictOptions): Promise<Prediction[]>;
    /** Task-aware: the user named the task (as `Run Task…`). */
    predictForTask(task: Task, inputs: readonly string[], options?: PredictOptions): Promise<Prediction[]>;
};
