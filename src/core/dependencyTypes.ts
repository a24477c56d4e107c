/**
 * What the core needs from the store, the engine and the trainer, as structural types. The real
 * `ConpetStore`, `EngineClient` and `TrainerClient` satisfy them; the core depends on these
 * shapes (see docs/ARCHITECTURE.md), not on the classes, so it never imports their modules.
 */
import type {EngineMethods} from "../engine/protocol";
import type {TrainJob, TrainerEvent} from "../trainer/protocol";
import type {Evaluation, LossPoint, ModuleKind, ModuleMetrics, ModuleRecord, Sample, SampleSplit, Task, TrainingRun} from "./types";

export type CallOptions = {signal?: AbortSignal};

export type CoreEngine = {
    info(params?: EngineMethods["info"]["params"], options?: CallOptions): Promise<EngineMethods["info"]["result"]>;
    generate(params: EngineMethods["generate"]["params"], options?: CallOptions): Promise<EngineMethods["generate"]["result"]>;
    score(params: EngineMethods["score"]["params"], options?: CallOptions): Promise<EngineMethods["score"]["result"]>;
    embed(params: EngineMethods["embed"]["params"], options?: CallOptions): Promise<EngineMethods["embed"]["result"]>;
};

export type TrainerDoneEvent = Extract<TrainerEvent, {type: "done"}>;

export type CoreTrainer = {
    train(job: TrainJob, options?: {signal?: AbortSignal; onEvent?: (event: TrainerEvent) => void}): Promise<TrainerDoneEvent>;
};

export type RegisterModuleOptions = Omit<ModuleRecord, "id" | "file" | "sizeBytes"> & {
    /** The finished adapter (or selector JSON) file; the store moves it into its folder. */
    sourceFile: string;
};

export type CoreStore = {
    readonly directory: string;
    listTasks(): Promise<Task[]>;
    getTask(idOrName: number | string): Promise<Task>;
    listSamples(taskId: number, options?: {split?: SampleSplit; limit?: number; offset?: number}): Promise<Sample[]>;
    countSamples(options?: {taskId?: number; split?: SampleSplit}): Promise<number>;
    getSamplesHash(taskId: number): Promise<string>;
    registerModule(options: RegisterModuleOptions): Promise<ModuleRecord>;
    listModules(): Promise<ModuleRecord[]>;
    getModule(taskId: number | null, kind: ModuleKind): Promise<ModuleRecord | null | undefined>;
    resolveModulePath(module: ModuleRecord): string;
    startRun(options: {taskId: number | null}): Promise<TrainingRun | {id: number}>;
    appendLoss(runId: number, points: LossPoint[]): Promise<void>;
    addEvaluation(evaluation: Omit<Evaluation, "id" | "createdAt">): Promise<Evaluation>;
    listEvaluations(): Promise<Evaluation[]>;
    finishRun(runId: number, options: {status: "succeeded" | "failed" | "cancelled"; error?: string; details?: Record<string, unknown>; moduleId?: number}): Promise<unknown>;
};

export type {ModuleMetrics};
