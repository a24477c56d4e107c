import type {Evaluation, ModuleRecord, SampleSource, SampleSplit, TrainingRunStatus} from "../vocabulary/types";

export type AddSamplesOptions = {
    /**
     * Most train samples kept for the task; beyond it reservoir sampling keeps a uniform subset of
     * every train sample ever offered. Test samples are never capped. Defaults to `undefined` (no cap).
     */
    cap?: number;
    /** Seed of the reservoir's random choices, for reproducible runs. Defaults to a random seed. */
    seed?: number;
};

export type ListSamplesOptions = {
    /** Defaults to both splits. */
    split?: SampleSplit;
    /** Defaults to all. */
    limit?: number;
    /** Defaults to `0`. */
    offset?: number;
};

export type CountSamplesOptions = {
    /** Defaults to every task. */
    taskId?: number;
    /** Defaults to both splits. */
    split?: SampleSplit;
    /** Only samples whose `source.kind` is this, e.g. `"correction"`. Defaults to any source. */
    sourceKind?: SampleSource["kind"];
    /** Only samples stored after this ISO time (e.g. a module's `trainedAt`). Defaults to any time. */
    createdAfter?: string;
};

export type TaskSampleCounts = {taskId: number; train: number; test: number};

export type RegisterModuleOptions = Omit<ModuleRecord, "id" | "file" | "sizeBytes" | "trainedAt"> & {
    /** The finished adapter (or selector weights) file; it is moved into the store's `adapters/`. */
    sourceFile: string;
    /** Defaults to now. */
    trainedAt?: string;
};

export type StartRunOptions = {
    /** Defaults to `null` (a run over several tasks or the selector). */
    taskId?: number | null;
    /** Defaults to `{}`. */
    details?: Record<string, unknown>;
};

export type FinishRunOptions = {
    status: Exclude<TrainingRunStatus, "running">;
    /** Defaults to `null`. */
    error?: string | null;
    /** Merged into the run's details. Defaults to `{}`. */
    details?: Record<string, unknown>;
    /** Defaults to `null`. */
    moduleId?: number | null;
};

export type ListRunsOptions = {
    /** Newest first. Defaults to `50`. */
    limit?: number;
};

export type NewEvaluation = Omit<Evaluation, "id" | "createdAt">;
