import {mkdtemp, mkdir, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {TrainerClient} from "./TrainerClient";
import type {TrainerEvent} from "../vocabulary/trainerProtocol";

export type BenchTrainOptions = {
    modelPath: string;
    /** Tokens per sample (half prompt, half completion). Defaults to `256`. */
    seqLen?: number;
    /** Defaults to `8`. */
    rank?: number;
    /** Optimizer steps; the first is a warm-up and not timed. Defaults to `6`. */
    steps?: number;
    /** Samples per step, packed into one batch. Defaults to `4`. */
    batchSize?: number;
    /** Defaults to `2`. */
    threads?: number;
    /** Defaults to `0` (CPU). */
    gpuLayers?: number | "max";
    /** Defaults to `["q", "k", "v", "o"]`. */
    targetModules?: string[];
    /** Write the report here as JSON. Defaults to `undefined`: no file. */
    reportPath?: string;
    binaryPath?: string;
    /** Extra environment of the trainer (the GPU backend installed on demand: `CONPET_GGML_BACKEND_DIRS`). Defaults to none. */
    env?: Record<string, string>;
    signal?: AbortSignal;
    onEvent?: (event: TrainerEvent) => void;
};

export type BenchTrainReport = {
    model: string;
    tokens_per_second: number;
    trainable_parameters: number;
    model_parameters: number;
    peak_rss_mb: number;
    backend: string;
    threads: number;
    seq_len: number;
    rank: number;
    steps: number;
    timed_steps: number;
    batch_size: number;
    target_modules: string[];
    seconds_per_step: number;
    /** From process start to the end of the first step: model load, allocation and one step. */
    seconds_to_first_step: number;
    /**
     * Tokens per second of the trainer's CPU time over the timed steps. With one thread this is what a quiet core
     * would give, whatever else the machine runs; with more, spinning workers count too. `null` when not reported.
     */
    tokens_per_cpu_second: number | null;
    /** Threads of each step (the trainer runs fewer while other processes keep cores busy). */
    threads_per_step: number[];
    /** Frozen weights with a transposed copy for the fast backward pass, and the memory of all copies (MiB). */
    fast_backward_weights: number;
    fast_backward_mb: number;
    /** Frozen weights the forward pass read as copies (all of them with BF16 copies). */
    forward_copy_weights: number;
    /** The copies' type (`bf16` on CPUs with AVX512-BF16, else `f32`; CONPET_TRAIN_BF16 decides instead). */
    copy_type: string;
    /** BF16 copies stored as panels for the trainer's BF16 kernel, and graph nodes run on its kernel for products of activations. */
    panel_copies: number;
    activation_product_nodes: number;
    /** 1-, 5- and 15-minute load averages before and after the run: how busy the machine was. */
    load_average_before: number[];
    load_average_after: number[];
    /** The trainer's CONPET_TRAIN_* switches in effect (e.g. CONPET_TRAIN_FAST_BACKWARD=0 for the old backward pass) and the GPU backend folders it was given (CONPET_GGML_BACKEND_DIRS). */
    trainer_env: Record<string, string>;
};

/**
 * Measures LoRA training throughput: random-token samples (so any model, including random-weight
 * ones from `conpet-train make-model`, works) through the real trainer. Tokens per second counts
 * prompt and completion tokens, over the steps after the first (which also allocates buffers).
 */
export async function benchTrain(options: BenchTrainOptions): Promise<BenchTrainReport> {
    const seqLen = options.seqLen ?? 256;
    const rank = options.rank ?? 8;
    const steps = Math.max(2, options.steps ?? 6);
    const batchSize = options.batchSize ?? 4;
    const targetModules = options.targetModules ?? ["q", "k", "v", "o"];
    const promptTokens = Math.floor(seqLen / 2);
    const directory = await mkdtemp(path.join(os.tmpdir(), "conpet-bench-"));
    const stepEnds: number[] = [];
    const stepThreads: number[] = [];
    const stepCpu: (number | undefined)[] = [];
    const loadBefore = os.loadavg();
    try {
        const env = options.env;
        const client = new TrainerClient({binaryPath: options.binaryPath, ...(env === undefined ? {} : {env: () => env})});
        const done = await client.train({
            modelPath: options.modelPath,
            outputPath: path.join(directory, "adapter.gguf"),
            samples: [],
            syntheticSamples: {count: batchSize * steps, promptTokens, completionTokens: seqLen - promptTokens},
            lora: {rank, alpha: 2 * rank, targetModules},
            steps,
            batchSize,
            learningRate: 1e-4,
            lrSchedule: "constant",
            seed: 42,
            contextSize: seqLen + 1,
            threads: options.threads ?? 2,
            gpuLayers: options.gpuLayers ?? 0
        }, {
            signal: options.signal,
            onEvent(event) {
                if (event.type === "progress") {
                    stepEnds.push(event.elapsedSeconds);
                    stepThreads.push(event.threads ?? options.threads ?? 2);
                    stepCpu.push(event.cpuSeconds);
                }
                options.onEvent?.(event);
            }
        });
        const timedSeconds = stepEnds[stepEnds.length - 1]! - stepEnds[0]!;
        const timedSteps = stepEnds.length - 1;
        const firstCpu = stepCpu[0];
        const lastCpu = stepCpu[stepCpu.length - 1];
        const report: BenchTrainReport = {
            model: options.modelPath,
            tokens_per_second: timedSteps * batchSize * seqLen / timedSeconds,
            trainable_parameters: done.trainableParameters,
            model_parameters: done.modelParameters,
            peak_rss_mb: done.peakRssMb,
            backend: done.backend,
            threads: done.threads,
            seq_len: seqLen,
            rank,
            steps,
            timed_steps: timedSteps,
            batch_size: batchSize,
            target_modules: targetModules,
            seconds_per_step: timedSeconds / timedSteps,
            seconds_to_first_step: stepEnds[0]!,
            tokens_per_cpu_second: firstCpu === undefined || lastCpu === undefined ? null : timedSteps * batchSize * seqLen / (lastCpu - firstCpu),
            threads_per_step: stepThreads,
            fast_backward_weights: done.fastBackwardWeights ?? 0,
            fast_backward_mb: done.fastBackwardMb ?? 0,
            forward_copy_weights: done.forwardCopyWeights ?? 0,
            copy_type: done.copyType ?? "none",
            panel_copies: done.panelCopies ?? 0,
            activation_product_nodes: done.activationProductNodes ?? 0,
            load_average_before: loadBefore,
            load_average_after: os.loadavg(),
            trainer_env: Object.fromEntries(Object.entries({...process.env, ...options.env}).filter((entry): entry is [string, string] => /^CONPET_(TRAIN_|GGML_BACKEND_DIRS$)/.test(entry[0]) && entry[1] !== undefined))
        };
        if (options.reportPath !== undefined) {
            await mkdir(path.dirname(path.resolve(options.reportPath)), {recursive: true});
            await writeFile(options.reportPath, JSON.stringify(report, null, 2) + "\n");
        }
        return report;
    } finally {
        await rm(directory, {recursive: true, force: true});
    }
}
