import {getMeanSampleChars} from "../../Conpet/estimateTrainingSeconds";
import {CancelledError} from "../../../vocabulary/errors";
import type {TrainerDoneEvent, TrainJob, TrainSample} from "../../../vocabulary/trainerProtocol";
import type {LossPoint, ModuleRecord} from "../../../vocabulary/types";
import type {LearnTaskOptions, LearnTaskResult, StrategyContext, TrainPhase} from "../types";

export type TrainAdapterOptions = {
    /** The task the run is recorded under; null for shared modules and the selector. */
    taskId: number | null;
    taskName?: string;
    phase: TrainPhase;
    samples: TrainSample[];
    replay?: TrainJob["replay"];
    initAdapterPath?: string;
    steps: number;
    /** File name stem of the temporary adapter (a safe name: an id or a kind, never a task's name). */
    name: string;
    /** Registers the finished adapter in the store (moving it there); its id is recorded on the run. */
    register(done: TrainerDoneEvent, lossCurve: LossPoint[], adapterPath: string): Promise<ModuleRecord>;
} & LearnTaskOptions;

/**
 * One trainer run, recorded in the store: the run starts `running`, its loss curve is appended as
 * it comes, and it ends `succeeded` (with the registered module), `cancelled` or `failed`.
 */
export async function trainAdapter(context: StrategyContext, options: TrainAdapterOptions): Promise<{done: TrainerDoneEvent; module: ModuleRecord; lossCurve: LossPoint[]}> {
    const {store, trainer, settings} = context;
    const outputPath = await store.createWorkFilePath(options.name, "gguf");
    const job: TrainJob = {
        modelPath: context.modelPath,
        outputPath,
        samples: options.samples,
        lora: settings.lora,
        steps: options.steps,
        batchSize: settings.batchSize,
        learningRate: settings.learningRate,
        lrSchedule: "cosine",
        warmupSteps: Math.min(10, Math.floor(options.steps / 10)),
        seed: settings.seed,
        contextSize: settings.contextSize,
        threads: settings.threads > 0 ? settings.threads : context.cpuThreads,
        gpuLayers: settings.trainingGpuLayers
    };
    if (options.replay !== undefined)
        job.replay = options.replay;
    if (options.initAdapterPath !== undefined)
        job.initAdapterPath = options.initAdapterPath;

    const run = await store.startRun({taskId: options.taskId});
    const lossCurve: LossPoint[] = [];
    let pending: LossPoint[] = [];
    let flushing = Promise.resolve();
    const flush = () => {
        const points = pending;
        pending = [];
        if (points.length > 0)
            flushing = flushing.then(() => store.appendLoss(run.id, points)).catch((err) => context.onLog?.(`Could not record loss: ${String(err)}`));
    };

    try {
        const done = await trainer.train(job, {
            signal: options.signal,
            onEvent(event) {
                if (event.type === "progress") {
                    const point = {step: event.step, loss: event.loss};
                    lossCurve.push(point);
                    pending.push(point);
                    if (pending.length >= 20)
                        flush();
                    try {
                        options.onProgress?.({phase: options.phase, task: options.taskName, step: event.step, totalSteps: event.totalSteps, loss: event.loss});
                    } catch (err) {
                        context.onLog?.(`onProgress threw: ${String(err)}`);
                    }
                } else if (event.type === "warning")
                    context.onLog?.(`trainer: ${event.message}`);
            }
        });
        flush();
        await flushing;
        const module = await options.register(done, lossCurve, done.adapterPath);
        await store.finishRun(run.id, {status: "succeeded", moduleId: module.id, details: {...jobDetails(job), ...done}});
        return {done, module, lossCurve};
    } catch (err) {
        flush();
        await flushing;
        const cancelled = err instanceof CancelledError || (err as {code?: string})?.code === "CANCELLED" || options.signal?.aborted === true;
        await store.finishRun(run.id, {status: cancelled ? "cancelled" : "failed", error: err instanceof Error ? err.message : String(err), details: jobDetails(job)})
            .catch((finishErr) => context.onLog?.(`Could not record the failed run: ${String(finishErr)}`));
        throw err;
    }
}

function jobDetails(job: TrainJob): Record<string, unknown> {
    const {samples, evalSamples: _evalSamples, ...rest} = job;
    // The run's size, for the estimate of later trainings (`getTrainingThroughput`).
    return {...rest, sampleCount: samples.length, meanSampleChars: getMeanSampleChars(samples)};
}

/** What a learned task cost, from the trainer's `done` event (plus the selector's time, if any). */
export function toLearnTaskResult(done: TrainerDoneEvent, moduleIds: number[], selectorSeconds = 0): LearnTaskResult {
    return {
        trainSeconds: done.seconds,
        selectorSeconds,
        tokens: done.tokens,
        tokensPerSecond: done.tokensPerSecond,
        trainableParameters: done.trainableParameters,
        modelParameters: done.modelParameters,
        peakRssMb: done.peakRssMb,
        finalLoss: done.finalLoss,
        moduleIds
    };
}
