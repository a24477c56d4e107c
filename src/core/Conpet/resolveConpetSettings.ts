/**
 * The settings the core runs with, their defaults (matching `contributes.configuration` in
 * package.json, where a setting is user-facing) and the one function that fills and checks them.
 */
import {isGpuLayersSetting, type GpuLayersSetting} from "../../vocabulary/engineProtocol";
import {InvalidInputError} from "../../vocabulary/errors";
import {defaultMaxInputChars} from "../formatPrompt";
import type {SelectorKind} from "../Selector/types";

/**
 * `dynamic`: a LoRA module per task and a selector (Dynamic ConPET). `static`: one shared LoRA
 * trained continually with dynamic replay (Static ConPET). `sequential` and `joint` are the
 * benchmark's baselines: one LoRA task after task without replay, and one LoRA on all data.
 */
export type ConpetMode = "dynamic" | "static" | "sequential" | "joint";

/** How multi-token labels are compared: summed log-probability, or its mean per token. */
export type LabelScoring = "sum" | "mean";

export type LoraSettings = {
    /** LoRA rank of each module. Defaults to `8`. */
    rank: number;
    /** LoRA alpha (scale = alpha / rank). Defaults to `16`. */
    alpha: number;
    /** Projections with adapters: `q`, `k`, `v`, `o`, `gate`, `up`, `down`. Defaults to `["q","k","v","o"]`. */
    targetModules: string[];
};

export type ConpetSettings = {
    /** The base model (`.gguf`). Defaults to `""` (none: `Conpet.create` requires one). */
    modelPath: string;
    /** Layers the engine offloads to the GPU for inference. Defaults to `"auto"`. */
    gpuLayers: GpuLayersSetting;
    /** Layers the trainer runs on the GPU (see `TrainJob.gpuLayers`; the trainer must be built with a GPU backend). Defaults to `"auto"`. */
    trainingGpuLayers: GpuLayersSetting;
    /** Defaults to `"dynamic"`. */
    mode: ConpetMode;
    lora: LoraSettings;
    /** Optimizer steps for each new task, whatever the number of old tasks. Defaults to `200`. */
    stepsPerTask: number;
    /** Share of each batch replayed from earlier tasks, 0 to 0.9 (the least share when balanced). Defaults to `0.5`. */
    replayRatio: number;
    /** Raise the replay share to n/(n+1) after n earlier tasks, so every task weighs the same in a run. Defaults to `true`. */
    balancedReplay: boolean;
    /** Cap on stored train samples per task (reservoir sampling beyond). Defaults to `2000`. */
    maxSamplesPerTask: number;
    /** Task modules each request is routed to; classification answers with the most probable (task, label) over their union. Defaults to `2`. */
    topK: number;
    /** Defaults to `"embedding"`. */
    selectorKind: SelectorKind;
    /** Samples per optimizer step. Defaults to `8`. */
    batchSize: number;
    /** Defaults to `defaultLearningRate`. */
    learningRate: number;
    /** Defaults to `"sum"`: with the completion terminator it is the likelihood of the whole label (measured better than `mean` on code-lang, see bench/conpet/README.md). */
    labelScoring: LabelScoring;
    /** Inputs are clipped to this many characters (head kept) in prompts and embeddings. Defaults to `defaultMaxInputChars`. */
    maxInputChars: number;
    /** Longest training sequence in tokens. Defaults to `256`. */
    contextSize: number;
    /** Samples per task the embedding selector is retrained on (embeddings are cached). Defaults to `1000`. */
    selectorSamplesPerTask: number;
    /** For generation with top-k > 1: mix the top-k adapters scaled by selector probability. Defaults to `false`. */
    mixAdapters: boolean;
    /** Longest generated answer in tokens. Defaults to `64`. */
    maxGenerateTokens: number;
    /** CPU threads for training and inference; `0` uses the engine's choice (the math cores) for both. Defaults to `0`. */
    threads: number;
    /** Seed for replay, selector training and adapter init. Defaults to `42`. */
    seed: number;
};

/** What callers pass: any subset, with `lora` itself partial. */
export type ConpetSettingsInput = Partial<Omit<ConpetSettings, "lora">> & {lora?: Partial<LoraSettings>};

export const defaultGpuLayers: GpuLayersSetting = "auto";
export const defaultTrainingGpuLayers: GpuLayersSetting = "auto";
export const defaultMode: ConpetMode = "dynamic";
export const defaultLoraRank = 8;
export const defaultLoraAlpha = 16;
export const defaultLoraTargetModules: readonly string[] = ["q", "k", "v", "o"];
export const defaultStepsPerTask = 200;
export const defaultReplayRatio = 0.5;
export const defaultBalancedReplay = true;
export const defaultMaxSamplesPerTask = 2000;
export const defaultTopK = 2;
export const defaultSelectorKind: SelectorKind = "embedding";
export const defaultBatchSize = 8;
export const defaultLearningRate = 5e-3;
export const defaultLabelScoring: LabelScoring = "sum";
export const defaultContextSize = 256;
export const defaultSelectorSamplesPerTask = 1000;
export const defaultMixAdapters = false;
export const defaultMaxGenerateTokens = 64;
export const defaultThreads = 0;
export {defaultMaxInputChars};
export const defaultSeed = 42;

const modes: readonly ConpetMode[] = ["dynamic", "static", "sequential", "joint"];
const targetModules: readonly string[] = ["q", "k", "v", "o", "gate", "up", "down"];

export function resolveConpetSettings(settings: ConpetSettingsInput = {}): ConpetSettings {
    const resolved: ConpetSettings = {
        modelPath: settings.modelPath ?? "",
        gpuLayers: settings.gpuLayers ?? defaultGpuLayers,
        trainingGpuLayers: settings.trainingGpuLayers ?? defaultTrainingGpuLayers,
        mode: settings.mode ?? defaultMode,
        lora: {
            rank: settings.lora?.rank ?? defaultLoraRank,
            alpha: settings.lora?.alpha ?? defaultLoraAlpha,
            targetModules: [...(settings.lora?.targetModules ?? defaultLoraTargetModules)]
        },
        stepsPerTask: settings.stepsPerTask ?? defaultStepsPerTask,
        replayRatio: settings.replayRatio ?? defaultReplayRatio,
        balancedReplay: settings.balancedReplay ?? defaultBalancedReplay,
        maxSamplesPerTask: settings.maxSamplesPerTask ?? defaultMaxSamplesPerTask,
        topK: settings.topK ?? defaultTopK,
        selectorKind: settings.selectorKind ?? defaultSelectorKind,
        batchSize: settings.batchSize ?? defaultBatchSize,
        learningRate: settings.learningRate ?? defaultLearningRate,
        labelScoring: settings.labelScoring ?? defaultLabelScoring,
        maxInputChars: settings.maxInputChars ?? defaultMaxInputChars,
        contextSize: settings.contextSize ?? defaultContextSize,
        selectorSamplesPerTask: settings.selectorSamplesPerTask ?? defaultSelectorSamplesPerTask,
        mixAdapters: settings.mixAdapters ?? defaultMixAdapters,
        maxGenerateTokens: settings.maxGenerateTokens ?? defaultMaxGenerateTokens,
        threads: settings.threads ?? defaultThreads,
        seed: settings.seed ?? defaultSeed
    };
    check(modes.includes(resolved.mode), "mode", resolved.mode, `one of ${modes.join(", ")}`);
    check(isGpuLayersSetting(resolved.gpuLayers), "gpuLayers", resolved.gpuLayers, "auto, max or a number of layers");
    check(isGpuLayersSetting(resolved.trainingGpuLayers), "trainingGpuLayers", resolved.trainingGpuLayers, "auto, max or a number of layers");
    check(resolved.selectorKind === "embedding" || resolved.selectorKind === "lora", "selectorKind", resolved.selectorKind, "embedding or lora");
    check(resolved.labelScoring === "sum" || resolved.labelScoring === "mean", "labelScoring", resolved.labelScoring, "sum or mean");
    check(isInt(resolved.lora.rank, 1, 256), "lora.rank", resolved.lora.rank, "an integer from 1 to 256");
    check(resolved.lora.alpha > 0, "lora.alpha", resolved.lora.alpha, "positive");
    check(resolved.lora.targetModules.length > 0 && resolved.lora.targetModules.every((m) => targetModules.includes(m)),
        "lora.targetModules", resolved.lora.targetModules, `a non-empty subset of ${targetModules.join(", ")}`);
    check(isInt(resolved.stepsPerTask, 1), "stepsPerTask", resolved.stepsPerTask, "a positive integer");
    check(resolved.replayRatio >= 0 && resolved.replayRatio <= 0.9, "replayRatio", resolved.replayRatio, "between 0 and 0.9");
    check(isInt(resolved.maxSamplesPerTask, 10), "maxSamplesPerTask", resolved.maxSamplesPerTask, "an integer of at least 10");
    check(isInt(resolved.topK, 1, 8), "topK", resolved.topK, "an integer from 1 to 8");
    check(isInt(resolved.batchSize, 1), "batchSize", resolved.batchSize, "a positive integer");
    check(resolved.learningRate > 0, "learningRate", resolved.learningRate, "positive");
    check(isInt(resolved.maxInputChars, 16), "maxInputChars", resolved.maxInputChars, "an integer of at least 16");
    check(isInt(resolved.contextSize, 16), "contextSize", resolved.contextSize, "an integer of at least 16");
    check(isInt(resolved.selectorSamplesPerTask, 1), "selectorSamplesPerTask", resolved.selectorSamplesPerTask, "a positive integer");
    check(isInt(resolved.maxGenerateTokens, 1), "maxGenerateTokens", resolved.maxGenerateTokens, "a positive integer");
    check(isInt(resolved.threads, 0), "threads", resolved.threads, "a non-negative integer");
    return resolved;
}

function isInt(value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
    return Number.isInteger(value) && value >= min && value <= max;
}

function check(ok: boolean, name: string, value: unknown, expected: string): void {
    if (!ok)
        throw new InvalidInputError(`Setting ${name} is ${JSON.stringify(value)}; it must be ${expected}.`, {setting: name});
}
