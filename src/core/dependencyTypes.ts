/**
 * What the core needs from the store, the engine and the trainer, as structural types. The real
 * `ConpetStore`, `EngineClient` and `TrainerClient` satisfy them; the core depends on these
 * shapes (see docs/ARCHITECTURE.md), not on the classes, so it never imports their modules.
 */
import type {EngineMethods} from "../vocabulary/engineProtocol";
import type {TrainerDoneEvent, TrainJob, TrainerEvent} from "../vocabulary/trainerProtocol";
import type {Evaluation, ImportBatch, ImportBatchResult, LossPoint, ModuleKind, ModuleMetrics, ModuleRecord, Sample, SampleSplit, Task, TrainingRun} from "../vocabulary/types";

export type CallOptions = {signal?: AbortSignal};

/** `onProgress` of `generate` carries the answer so far (`EngineProgress.text`), for streaming it. */
export type GenerateCallOptions = CallOptions & {onProgress?(progress: {text?: string}): void};

export type CoreEngine = {
    info(params?: EngineMethods["info"]["params"], options?: CallOptions): Promise<EngineMethods["info"]["result"]>;
    generate(params: EngineMethods["generate"]["params"], options?: GenerateCallOptions): Promise<EngineMethods["generate"]["result"]>;
    score(params: EngineMethods["score"]["params"], options?: CallOptions): Promise<EngineMethods["score"]["result"]>;
    embed(params: EngineMethods["embed"]["params"], options?: CallOptions): Promise<EngineMethods["embed"]["result"]>;
};

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
    findTask(name: string): Promise<Task | undefined>;
    /** Creates tasks and adds samples in one transaction: an import lands whole or not at all. */
    importBatches(batches: ImportBatch[], options?: {cap?: number; seed?: number}): Promise<ImportBatchResult[]>;
    listSamples(taskId: number, options?: {split?: SampleSplit; limit?: number; offset?: number}): Promise<Sample[]>;
    countSamples(options?: {taskId?: number; split?: SampleSplit}): Promise<number>;
    /** Train and test sample counts of every task, in one query. */
    countSamplesByTask(): Promise<{taskId: number; train: number; test: number}[]>;
    getSamplesHash(taskId: number): Promise<string>;
    registerModule(options: RegisterModuleOptions): Promise<ModuleRecord>;
    /** Of every base model unless `baseModelFingerprint` picks one. */
    listModules(filter?: {baseModelFingerprint?: string}): Promise<ModuleRecord[]>;
    /** Of the base model `baseModelFingerprint`; without it, the newest of any. */
    getModule(taskId: number | null, kind: ModuleKind, baseModelFingerprint?: string): Promise<ModuleRecord | null | undefined>;
    resolveModulePath(module: ModuleRecord): string;
    checkModuleFile(module: ModuleRecord): Promise<"present" | "missing" | "damaged">;
    /** A fresh path in the store's work folder, removed by a later open if this process dies first. */
    createWorkFilePath(stem: string, extension: string): Promise<string>;
    startRun(options: {taskId: number | null}): Promise<TrainingRun | {id: number}>;
    /** Runs, newest first. */
    listRuns(options?: {limit?: number}): Promise<TrainingRun[]>;
    appendLoss(runId: number, points: LossPoint[]): Promise<void>;
    addEvaluation(evaluation: Omit<Evaluation, "id" | "createdAt">): Promise<Evaluation>;
    listEvaluations(): Promise<Evaluation[]>;
    /** The store-wide training lease (one training per store across processes); throws `TRAINING_BUSY` while another holds it. */
    acquireTrainingLease(options: {label: string}): Promise<{token: string}>;
    renewTrainingLease(token: string, progress?: unknown): Promise<boolean>;
    releaseTrainingLease(token: string): Promise<void>;
    getTrainingLease(): Promise<{token: string; pid: number; label: string; startedAt: string; progress: unknown} | undefined>;
    finishRun(runId: number, options: {status: "succeeded" | "failed" | "cancelled"; error?: string; details?: Record<string, unknown>; moduleId?: number}): Promise<unknown>;
};

export type {ModuleMetrics};
