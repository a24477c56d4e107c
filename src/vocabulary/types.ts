/**
 * The shared vocabulary of the product: what the store keeps, what the core learns and what the
 * front ends (extension, CLI) show. Plain data only, so it crosses process boundaries as JSON.
 */

/** `classify`: the answer is one of `labels`, scored not sampled. `generate`: free text. */
export type TaskKind = "classify" | "generate";

export type Task = {
    id: number;
    /** Unique, human readable; never used as a file name without sanitising. */
    name: string;
    /** The instruction placed in the prompt, e.g. "Classify this log line". */
    instruction: string;
    kind: TaskKind;
    /** Allowed answers for `classify`; empty for `generate`. */
    labels: string[];
    createdAt: string;
    updatedAt: string;
};

export type SampleSplit = "train" | "test";

/**
 * Where a sample came from, so the UI can point back at it. `correction`: the user corrected one of
 * ConPET's answers; the sample holds the right task and answer, `answered` what ConPET had said.
 */
export type SampleSource = {
    kind: "selection" | "import" | "manual" | "correction";
    /** A file path or URI (selection), or the imported file. */
    file?: string;
    /** Zero-based editor range of a selection. */
    range?: {startLine: number; startCharacter: number; endLine: number; endCharacter: number};
    /** Correction: the task that answered (`null`: the base model) and its wrong answer. */
    answered?: {task: string | null; output: string};
};

export type Sample = {
    id: number;
    taskId: number;
    input: string;
    output: string;
    split: SampleSplit;
    source: SampleSource | null;
    createdAt: string;
};

/**
 * `task-lora`: a Dynamic ConPET module of one task. `shared-lora`: the single LoRA of the static
 * mode and the baselines. `selector`: a trained selector (its weights file is JSON or GGUF).
 */
export type ModuleKind = "task-lora" | "shared-lora" | "selector";

export type ModuleMetrics = {
    finalLoss?: number;
    heldOutLoss?: number;
    heldOutAccuracy?: number;
    /** Selector: expected calibration error of its route probabilities on held-out samples. */
    calibrationError?: number;
    trainSeconds?: number;
    tokensPerSecond?: number;
};

export type ModuleRecord = {
    id: number;
    /** The task a `task-lora` belongs to; null for shared modules and selectors. */
    taskId: number | null;
    kind: ModuleKind;
    /** Path of the adapter (or selector weights) file, relative to the store folder. */
    file: string;
    /** Identifies the base model the module was trained on (see `getModelFingerprint`). */
    baseModelFingerprint: string;
    rank: number;
    alpha: number;
    targetModules: string[];
    trainableParameters: number;
    sizeBytes: number;
    metrics: ModuleMetrics;
    /** Hash of the task's training samples when it was trained; differs from the current hash → stale. */
    samplesHash: string;
    trainedAt: string;
};

export type TrainingRunStatus = "running" | "succeeded" | "failed" | "cancelled";

export type LossPoint = {step: number; loss: number};

export type TrainingRun = {
    id: number;
    taskId: number | null;
    moduleId: number | null;
    status: TrainingRunStatus;
    startedAt: string;
    finishedAt: string | null;
    lossCurve: LossPoint[];
    /** Effective hyperparameters and timings, as reported by the trainer. */
    details: Record<string, unknown>;
    error: string | null;
};

export type Evaluation = {
    id: number;
    createdAt: string;
    mode: string;
    /** Task names in arrival order. */
    tasks: string[];
    /** Row t: accuracy on tasks 0..t after learning task t. */
    accuracyMatrix: number[][];
    selectorAccuracy: number | null;
    details: Record<string, unknown>;
};

/** A task as the user defines it; the store adds id and times. */
export type NewTask = {
    /** Non-empty, at most `maxTaskNameLength` characters, no control characters; unique. */
    name: string;
    instruction: string;
    kind: TaskKind;
    /** Two or more distinct labels for `classify`; must be empty for `generate`. Defaults to `[]`. */
    labels?: string[];
};

export type TaskPatch = Partial<NewTask>;

export type NewSample = {
    input: string;
    /** For a `classify` task, one of its labels. */
    output: string;
    /** Defaults to `"train"`. */
    split?: SampleSplit;
    /** Defaults to `null`. */
    source?: SampleSource | null;
};

export type AddSamplesResult = {
    /** Rows inserted. */
    added: number;
    /** Stored train samples the reservoir replaced. */
    evicted: number;
    /** Offered train samples the reservoir did not keep. */
    skipped: number;
    /** Offered samples the task already had (same input, output and split), or repeated within the call: not stored. */
    duplicates: number;
};

/** One task of a bulk import: created if `create` is set, otherwise it must exist. */
export type ImportBatch = {
    task: NewTask;
    /** Create the task (`TASK_EXISTS` if it exists) or add to the existing one (`TASK_NOT_FOUND` if it doesn't). */
    create: boolean;
    samples: NewSample[];
};

export type ImportBatchResult = {taskId: number; name: string; created: boolean} & AddSamplesResult;
