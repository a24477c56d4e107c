import type {ModuleRecord, Task} from "../../vocabulary/types";

/**
 * What a task's module is, for the current base model (the one rule is `getTaskModuleStates`):
 * - `ready`: a module trained on the current base model from the task's current samples, file intact;
 * - `missing`: the current base model's module lost its file (deleted, or cut: `reason` says which);
 * - `stale`: the samples changed since, or only another base model has a module (never applied to this one);
 * - `untrained`: no module at all;
 * - `training`: a training in progress is learning it now (said by whoever runs the training).
 */
export type TaskModuleState = "untrained" | "training" | "ready" | "stale" | "missing";

/** Why a module is `stale` (samples, base model) or `missing` (file). */
export type ModuleStateReason = "samples-changed" | "other-base-model" | "file-missing" | "file-damaged";

/** One task with its module state and sample counts: what the tree, the panel, `conpet task list` and `Conpet.getStatus` show. */
export type TaskModuleStatus = {
    task: Task;
    state: TaskModuleState;
    /** Why the module is `stale` or `missing` (kept while it reads `training`). */
    reason?: ModuleStateReason;
    /** The current base model's module covering the task (its own, or the shared one), if any. */
    module: ModuleRecord | null;
    /** Fingerprints of the other base models that have a module for the task (reused when switching back). */
    otherBaseModels: string[];
    trainSamples: number;
    testSamples: number;
};
