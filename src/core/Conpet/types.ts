import type {ModelInfo} from "../../vocabulary/engineProtocol";
import type {ErrorPayload} from "../../vocabulary/errors";
import type {SelectorKind} from "../Selector/types";
import type {LearnTaskResult} from "../strategies/types";
import type {TaskModuleStatus} from "../moduleStates/types";
import type {Evaluation, ModuleRecord} from "../../vocabulary/types";
import type {ConpetMode} from "../settings/conpetSettingsSchema";

/** How often a training renews the store's training lease (well inside the store's 60 s staleness). */
export const trainingLeaseHeartbeatMs = 5_000;

export type ConpetStatus = {
    mode: ConpetMode;
    modelPath: string;
    engine: ModelInfo | null;
    training: boolean;
    /** Another process (window, CLI) holding the store's training lease, with its latest progress (a `ConpetTrainProgress`). */
    trainingElsewhere: {pid: number; label: string; startedAt: string; progress: unknown} | null;
    /** In task order; `training` while this service trains the task. */
    tasks: TaskModuleStatus[];
    selector: {kind: SelectorKind; module: ModuleRecord; accuracy: number | null} | null;
    sharedModule: ModuleRecord | null;
    /** What dynamic replay draws from: stored train samples per task. */
    replay: {tasks: number; samples: number};
    lastEvaluation: Evaluation | null;
};

/**
 * Progress of `train`: the phase, which task of how many, and the step within its run.
 * `task`: training the task's module (or the shared LoRA); `selector`: retraining the selector;
 * `evaluate`: measuring held-out accuracy after the task was learned, where `step` and
 * `totalSteps` count the samples measured.
 */
export type ConpetTrainProgress = {
    phase: "task" | "selector" | "evaluate";
    task?: string;
    taskIndex: number;
    taskCount: number;
    step: number;
    totalSteps: number;
    loss?: number;
    /** Share of the whole training done, 0 to 1: each task's run fills its share; its selector and measurement follow it. */
    fraction: number;
    etaSeconds?: number;
};

/** Held-out samples measured per task when `evaluate` is on; keeps a measurement short on a laptop. */
export const defaultEvaluationSamplesPerTask = 50;

export type ConpetEvaluateOptions = {
    /**
     * Held-out samples measured per task (training samples for a task without held-out ones).
     * Defaults to `50` (`defaultEvaluationSamplesPerTask`).
     */
    samplesPerTask?: number;
};

/** What a training will learn before it starts (`Conpet.planTraining`). */
export type ConpetTrainingPlan = {
    /** The tasks to learn, in order, with the optimizer steps of each task's run. */
    tasks: {taskId: number; task: string; steps: number}[];
    /** About how long their training runs take, from the last finished runs on this model; `null` before any. */
    seconds: number | null;
};

export type ConpetTrainOptions = {
    signal?: AbortSignal;
    onProgress?(progress: ConpetTrainProgress): void;
    /**
     * Measure every learned task right after each task is learned and store the accuracy matrix
     * with the new row (`store.addEvaluation`), so forgetting shows as it happened. Costs one
     * task-agnostic prediction per measured sample after each task. Defaults to `undefined` (off).
     */
    evaluate?: ConpetEvaluateOptions;
    /** With `evaluate`: called with each evaluation as soon as it is stored, e.g. to show the new row. */
    onEvaluation?(evaluation: Evaluation): void;
    /**
     * Relearn every task with samples, learned or not, from its stored samples (e.g. to rebuild every
     * module for a new base model in one go). Defaults to `false`: only new or changed tasks.
     */
    all?: boolean;
};

export type ConpetTrainResult = {
    learned: ({task: string} & LearnTaskResult)[];
    /** Tasks deleted while the training ran, so not learned. */
    skipped: string[];
    /** Whether only the selector was retrained (e.g. after a task was deleted). */
    selectorRetrained: boolean;
    /** With `evaluate`: the evaluation stored after each learned task, in order (the last holds the whole matrix). */
    evaluations: Evaluation[];
    /**
     * Why measuring stopped, when it failed for a reason other than a cancel; the training went on
     * and the tasks after it have no row.
     */
    evaluationError?: ErrorPayload;
};
