/**
 * Every ConPET setting, declared once: its kind, limits and default, and for the ones VS Code shows,
 * their `conpet.*` key. The core (`resolveConpetSettings`), the extension's settings reader and the
 * CLI's help take their defaults from here; package.json's `contributes.configuration` is checked
 * against it by `test/unit/core/settings/conpetSettingsSchema.test.ts` (only the descriptions live
 * there alone). The trainer has no defaults of its own: the core writes every hyper-parameter into
 * the job.
 */
import {copySettingDefault, mapSettingsSchema, type SettingsSchema, type SettingValues} from "./settingSpec";

export const conpetSettingsSchema = {
    /** The base model (`.gguf`); `""` is none (`Conpet.create` then refuses). */
    modelPath: {kind: "string", default: "", pattern: "^$|\\.[gG][gG][uU][fF]$", contributed: {key: "modelPath", scope: "machine-overridable", restricted: true}},
    /** Layers the engine offloads to the GPU for inference. */
    gpuLayers: {kind: "gpuLayers", default: "auto", contributed: {key: "gpuLayers"}},
    /** Layers the trainer runs on the GPU (see `TrainJob.gpuLayers`; the trainer needs a GPU backend). */
    trainingGpuLayers: {kind: "gpuLayers", default: "auto", contributed: {key: "training.gpuLayers"}},
    /** CPU threads for training and inference; `0` uses the engine's choice (the math cores) for both. */
    threads: {kind: "integer", default: 0, minimum: 0, contributed: {key: "threads"}},
    lora: {
        /** LoRA rank of each module. */
        rank: {kind: "integer", default: 8, minimum: 1, maximum: 256, contributed: {key: "lora.rank"}},
        /** LoRA alpha (scale = alpha / rank). */
        alpha: {kind: "number", default: 16, exclusiveMinimum: 0, contributed: {key: "lora.alpha"}},
        /** Projections with adapters. */
        targetModules: {kind: "subset", default: ["q", "k", "v", "o"], values: ["q", "k", "v", "o", "gate", "up", "down"], contributed: {key: "lora.targetModules"}}
    },
    /** Most optimizer steps for each new task, whatever the number of old tasks (a small task takes fewer: `epochsPerTask`). */
    stepsPerTask: {kind: "integer", default: 200, minimum: 1, contributed: {key: "training.stepsPerTask"}},
    /**
     * Passes over a new task's samples when that is fewer steps than `stepsPerTask` (at least 100 steps);
     * `0` always trains `stepsPerTask`. See `getTaskSteps` and the measurement in bench/conpet/README.md.
     */
    epochsPerTask: {kind: "number", default: 25, minimum: 0, contributed: {key: "training.epochsPerTask"}},
    /** Share of each batch replayed from earlier tasks (the least share when balanced). */
    replayRatio: {kind: "number", default: 0.5, minimum: 0, maximum: 0.9, contributed: {key: "training.replayRatio"}},
    /** Raise the replay share to n/(n+1) after n earlier tasks, so every task weighs the same in a run. */
    balancedReplay: {kind: "boolean", default: true, contributed: {key: "training.balancedReplay"}},
    /** Cap on stored train samples per task (reservoir sampling beyond). */
    maxSamplesPerTask: {kind: "integer", default: 2000, minimum: 10, contributed: {key: "training.maxSamplesPerTask"}},
    /**
     * `dynamic`: a LoRA module per task and a selector (Dynamic ConPET). `static`: one shared LoRA
     * trained continually with dynamic replay (Static ConPET). The benchmark's baselines: `sequential`,
     * one LoRA task after task without replay, and `joint`, one LoRA on all data.
     */
    mode: {kind: "enum", default: "dynamic", values: ["dynamic", "static"], benchmarkValues: ["sequential", "joint"], contributed: {key: "mode"}},
    /** Task modules each request is routed to; classification answers with the most probable (task, label) over their union. */
    topK: {kind: "integer", default: 2, minimum: 1, maximum: 8, contributed: {key: "routing.topK"}},
    /** `embedding`: a calibrated classifier over n-grams and pooled states. `lora`: the paper's LoRA-tuned selector. */
    selectorKind: {kind: "enum", default: "embedding", values: ["embedding", "lora"], contributed: {key: "selector.kind"}},
    /** Samples per optimizer step. */
    batchSize: {kind: "integer", default: 8, minimum: 1},
    /** The learning rate of every training run (cosine schedule; the benchmarks in bench/conpet/README.md ran at it). */
    learningRate: {kind: "number", default: 5e-3, exclusiveMinimum: 0},
    /**
     * How multi-token labels are compared: summed log-probability, or its mean per token. `sum` with the
     * completion terminator is the likelihood of the whole label (measured better than `mean` on code-lang,
     * bench/conpet/README.md).
     */
    labelScoring: {kind: "enum", default: "sum", values: ["sum", "mean"]},
    /**
     * Inputs are clipped to this many characters (head kept) in prompts and embeddings. Sized for the
     * default training context (256 tokens): with a small vocabulary a character of code can be a
     * token, and the instruction and label need room too. Raise it with `contextSize`.
     */
    maxInputChars: {kind: "integer", default: 200, minimum: 16},
    /** Longest training sequence in tokens. */
    contextSize: {kind: "integer", default: 256, minimum: 16},
    /** Samples per task the embedding selector is retrained on (embeddings are cached). */
    selectorSamplesPerTask: {kind: "integer", default: 1000, minimum: 1},
    /** For generation with top-k > 1: mix the top-k adapters scaled by selector probability. */
    mixAdapters: {kind: "boolean", default: false},
    /** Longest generated answer in tokens. */
    maxGenerateTokens: {kind: "integer", default: 64, minimum: 1},
    /** Seed for replay, selector training and adapter init. */
    seed: {kind: "integer", default: 42, minimum: 0}
} as const satisfies SettingsSchema;

/** Settings only the extension reads. */
export const extensionOnlySettingsSchema = {
    /** Folder for the database and adapters; `""` is the extension's global storage. */
    storageLocation: {kind: "string", default: "", contributed: {key: "storageLocation", scope: "machine"}}
} as const satisfies SettingsSchema;

/** The settings the core runs with (`resolveConpetSettings` fills and checks them). */
export type ConpetSettings = SettingValues<typeof conpetSettingsSchema>;
export type ConpetMode = ConpetSettings["mode"];
export type LabelScoring = ConpetSettings["labelScoring"];

/** What callers pass: any subset, with `lora` itself partial. */
export type ConpetSettingsInput = Partial<Omit<ConpetSettings, "lora">> & {lora?: Partial<ConpetSettings["lora"]>};

export const defaultConpetSettings: Readonly<ConpetSettings> = Object.freeze(mapSettingsSchema(conpetSettingsSchema, copySettingDefault));
