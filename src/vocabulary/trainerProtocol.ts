/**
 * The contract between `src/trainer` (TypeScript) and `native/` (`conpet-train`, C++): a JSON job
 * file in, JSON lines out on stdout. The trainer never writes a partial adapter at `outputPath`
 * (it writes a temporary file beside it and renames).
 *
 * The trainer keeps no defaults for the hyper-parameters: a job without one is refused
 * (`INVALID_INPUT`, "… is required"), so the core's settings (src/core/settings) are their one source.
 * The optional fields are off when absent (replay, warm-up, weight decay, intermediate evals) or let
 * the trainer choose (threads).
 */
import type {GpuLayersSetting} from "./engineProtocol";

/**
 * One training example, already formatted by the caller (`formatPrompt`). Loss is taken on the
 * completion tokens only. Tokenisation contract (shared with the engine's scoring):
 * `tokenize(prompt, BOS)` followed by `tokenize(completion, no BOS, no specials)`, then EOS.
 */
export type TrainSample = {
    prompt: string;
    completion: string;
    /** The task this sample belongs to (replay picks a group, then a sample). Defaults to `0`. */
    group?: number;
};

export type LrSchedule = "constant" | "linear" | "cosine";

export type TrainJob = {
    modelPath: string;
    /** Where the GGUF LoRA adapter goes. */
    outputPath: string;
    samples: TrainSample[];
    /**
     * Random token ids instead of text (`count` samples of `promptTokens` + `completionTokens`, then
     * EOS), for throughput benchmarks on random-weight models; `samples` may then be empty.
     * Defaults to `undefined`.
     */
    syntheticSamples?: {count: number; promptTokens: number; completionTokens: number};
    /** Held-out samples: their loss is reported as `eval` events. */
    evalSamples?: TrainSample[];
    /**
     * Dynamic replay: each batch takes `round(ratio * batchSize)` samples from groups other than
     * `newGroup` (group uniform, then sample uniform) and the rest from `newGroup`. Without it,
     * batches draw uniformly from all samples.
     */
    replay?: {newGroup: number; ratio: number};
    lora: {rank: number; alpha: number; targetModules: string[]};
    /** Optimizer steps; `0` writes the freshly initialised adapter (B = 0: the output equals the base model's). */
    steps: number;
    /** Samples per optimizer step, 1 to 256. */
    batchSize: number;
    /** The peak learning rate (after warm-up). */
    learningRate: number;
    lrSchedule: LrSchedule;
    /** Steps of linear warm-up. Defaults to `0`. */
    warmupSteps?: number;
    /** AdamW weight decay. Defaults to `0`. */
    weightDecay?: number;
    /** Seeds the adapter's initialisation and the batch sampling. */
    seed: number;
    /** Continue training from this adapter instead of a fresh random init. */
    initAdapterPath?: string;
    /** Longest sequence (prompt + completion tokens); longer prompts are truncated from the left with a warning. */
    contextSize: number;
    /** 0 picks automatically. Defaults to `0`. */
    threads?: number;
    /**
     * Layers trained on the GPU, when the trainer has a GPU backend that runs training's backward ops. A base that is
     * not F32 trains there over an F32 copy the trainer writes beside the output (`dequantizedBase` in `done`).
     * `auto`: all layers where that works, else the CPU with a `warning` (the F32 copy does not fit the device's free
     * memory or the disk); `max` or a number insists (then `OUT_OF_MEMORY` or `DISK_FULL` instead of the CPU; a trainer
     * without a GPU warns and uses the CPU). `0` is the CPU.
     */
    gpuLayers: GpuLayersSetting;
    /** Emit an `eval` event before training, every this many steps, and at the end. Defaults to `0`: only at the end. */
    evalEvery?: number;
};

export type TrainerEvent =
    | {type: "started"; backend: string; threads: number; trainableParameters: number; modelParameters: number; steps: number}
    | {
        type: "progress";
        step: number;
        totalSteps: number;
        loss: number;
        learningRate: number;
        tokensPerSecond: number;
        elapsedSeconds: number;
        /** CPU threads this step ran with: fewer than asked while other processes keep cores busy. */
        threads?: number;
        /** CPU time the trainer process has used so far (all threads). */
        cpuSeconds?: number;
    }
    | {type: "eval"; step: number; loss: number}
    | {type: "warning"; message: string}
    | {
        type: "done";
        adapterPath: string;
        trainableParameters: number;
        modelParameters: number;
        steps: number;
        tokens: number;
        seconds: number;
        tokensPerSecond: number;
        finalLoss: number;
        peakRssMb: number;
        backend: string;
        threads: number;
        /** Frozen weights the backward pass ran through as a fast matrix product (a transposed copy each). */
        fastBackwardWeights?: number;
        /** Memory the transposed and forward copies took, in MiB (included in peakRssMb). */
        fastBackwardMb?: number;
        /** Frozen weights whose forward pass read a copy (every one with BF16 copies; quantized ones with CONPET_TRAIN_DEQUANTIZE_FORWARD=1). */
        forwardCopyWeights?: number;
        /** The copies' type: `bf16` where the CPU has native BF16 dot products (AVX512-BF16), else `f32`. */
        copyType?: string;
        /** BF16 copies stored as panels for the trainer's own BF16 kernel (where the CPU has AVX512-BF16 and the shape fits). */
        panelCopies?: number;
        /** Graph nodes (over all steps) whose product of activations ran on the trainer's own kernel instead of ggml's. */
        activationProductNodes?: number;
        /** Whether it trained over an F32 copy of a quantized base (on a GPU; on the CPU with CONPET_TRAIN_DEQUANTIZE_BASE=1). */
        dequantizedBase?: boolean;
    }
    | {type: "error"; code: string; message: string};

/** The last event of a successful run: what `TrainerClient.train` resolves with. */
export type TrainerDoneEvent = Extract<TrainerEvent, {type: "done"}>;
