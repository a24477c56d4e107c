/**
 * The engine process's RPC: typed requests from the extension host or CLI to the child process
 * that owns node-llama-cpp. Transport: Node IPC (`child_process.fork`), one JSON message each.
 *
 * request  `{id, method, params}`  → exactly one reply `{id, result}` or `{id, error: ErrorPayload}`
 * cancel   `{cancel: id}`           (best effort; the reply is then a `CANCELLED` error)
 * event    `{event, id?, data}`     (progress of a long request with that id, or a log line)
 */
import type {ErrorPayload} from "./errors";

export type GpuLayersSetting = "auto" | "max" | number;

/** The one rule for a `GpuLayersSetting` (engine requests, core settings, the extension's settings). */
export function isGpuLayersSetting(value: unknown): value is GpuLayersSetting {
    return value === "auto" || value === "max" || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0);
}
export type Backend = "cuda" | "vulkan" | "metal" | "cpu";
export type DetectedGpu = Exclude<Backend, "cpu">;

/** A LoRA adapter applied over the base model; `scale` defaults to `1`. */
export type AdapterRef = {filePath: string; scale?: number};

export type ModelInfo = {
    modelPath: string;
    /** Stable id of the base model file (size + sha256 of its head); modules record it. */
    fingerprint: string;
    architecture: string;
    /** e.g. "F32", "Q8_0": training on a GPU backend needs F32 base weights. */
    fileType: string;
    parameters: number;
    /** Offloadable layers: the transformer blocks plus the output layer (the scale of `gpuLayers`). */
    layers: number;
    embeddingSize: number;
    vocabularySize: number;
    trainContextSize: number;
    contextSize: number;
    backend: Backend;
    /**
     * Set when a GPU backend was installed on demand (`gpuBackendEnvVar`) but could not be loaded, so the engine
     * runs on the CPU: what failed and what to do, for the panel and the status bar.
     */
    gpuBackendProblem?: string;
    gpuLayers: number;
    /** CPU threads the engine runs with: `LoadParams.threads`, or the machine's math cores for `0`. */
    threads: number;
    /** Bytes of GPU memory used, or 0 on CPU. */
    vramUsedBytes: number;
    /** Resident memory of the engine process after loading. */
    rssBytes: number;
    /** Whether the model carries a chat template (node-llama-cpp picks the wrapper). */
    hasChatTemplate: boolean;
};

/** Context size of each of the engine's pooled contexts when `load` doesn't say (capped at the model's training context). */
export const defaultEngineContextSize = 512;

export type LoadParams = {
    modelPath: string;
    gpuLayers: GpuLayersSetting;
    /** 0 picks automatically. */
    threads: number;
    /** Context size of each pooled context. Defaults to `defaultEngineContextSize` (512). */
    contextSize?: number;
    /**
     * Sequences of each pooled context (each with `contextSize` KV cells): `score` runs this many
     * items side by side in shared batches. Defaults to `4`.
     */
    sequences?: number;
};

export type GenerateParams = {
    prompt: string;
    adapters?: AdapterRef[];
    /** Defaults to `128`. */
    maxTokens?: number;
    /** 0 = greedy. Defaults to `0`. */
    temperature?: number;
    /** Generation stops at the first of these strings (not included). Defaults to `["\n"]`. */
    stopStrings?: string[];
};

/**
 * Log-likelihood of candidate completions after a prompt. Tokenisation contract shared with the
 * trainer: `tokenize(prompt, BOS)` followed by `tokenize(completion, no BOS, no specials)`.
 * SentencePiece vocabularies (llama) add a leading space to each tokenised piece themselves, so a
 * label is passed as `"positive"`, not `" positive"`. A token the model all but excludes counts
 * `-104` (float32 underflow floor), so scores stay finite.
 */
export type ScoreParams = {
    adapters?: AdapterRef[];
    items: {prompt: string; completions: string[]}[];
};

export type ScoreResult = {
    /** scores[i][j]: summed log-probability of item i's completion j. */
    logProbs: number[][];
    /** tokenCounts[i][j]: tokens in item i's completion j. */
    tokenCounts: number[][];
};

export type EngineMethods = {
    load: {params: LoadParams; result: ModelInfo};
    info: {params: Record<string, never>; result: ModelInfo | null};
    generate: {params: GenerateParams; result: {text: string; tokens: number}};
    score: {params: ScoreParams; result: ScoreResult};
    /**
     * Mean-pooled last hidden states of the base model (no adapters), L2-normalised. Texts longer
     * than the context keep their head; `tokenCounts[i]` is how many tokens (BOS included) were pooled.
     */
    embed: {params: {texts: string[]}; result: {vectors: number[][]; tokenCounts?: number[]}};
    /** `addBos: true` tokenises like a prompt (BOS, special tokens parsed), `false` like a completion. */
    tokenize: {params: {text: string; addBos: boolean}; result: {tokens: number[]}};
    /** Downloads a model with resume and checksum verification; emits `progress` events. */
    download: {params: {uri: string; directory: string}; result: {modelPath: string}};
    /**
     * GPUs whose drivers and runtimes node-llama-cpp finds on this machine (libraries on disk; nothing is
     * loaded): what "Enable GPU Acceleration" can offer. Empty on a machine without a GPU driver.
     */
    detectGpus: {params: Record<string, never>; result: {gpus: DetectedGpu[]}};
};

export type EngineMethod = keyof EngineMethods;

export type EngineRequest = {[M in EngineMethod]: {id: number; method: M; params: EngineMethods[M]["params"]}}[EngineMethod];
export type EngineCancel = {cancel: number};
export type EngineReply = {id: number; result: unknown} | {id: number; error: ErrorPayload};
/**
 * Progress of a long request. `generate` also carries `text`, the answer so far: only text that
 * is final (no possible start of a stop string, no half of a multi-byte character), so a client
 * can stream it as it grows.
 */
export type EngineProgress = {done: number; total: number; message?: string; text?: string};

export type EngineEvent =
    | {event: "progress"; id: number; data: EngineProgress}
    | {event: "log"; data: {level: "debug" | "info" | "warn" | "error"; message: string}};
