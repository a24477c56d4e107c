/**
 * The one rule for what a task's module is, used by the strategies (what counts as learned), by
 * `Conpet.getStatus` (CLI, panel) and by the tasks tree:
 * - `ready`: a module trained on the current base model from the task's current samples, file intact;
 * - `missing`: the current base model's module lost its file (deleted, or cut: `reason` says which);
 * - `stale`: the samples changed since, or only another base model has a module (never applied to this one);
 * - `untrained`: no module at all.
 * (`training` is added by whoever knows a training runs.) Modules of several base models coexist,
 * so switching back to a model finds its modules ready again.
 */
import type {CoreStore} from "../dependencyTypes";
import {parseModuleState} from "../strategies/utils/parseModuleState";
import type {ModuleRecord} from "../../vocabulary/types";

export type TaskModuleState = "untrained" | "training" | "ready" | "stale" | "missing";

export type StaleReason = "samples-changed" | "other-base-model" | "file-missing" | "file-damaged";

export type TaskModuleInfo = {
    state: Exclude<TaskModuleState, "training">;
    /** Why a module is `stale` or `missing`. */
    reason?: StaleReason;
    /** The current base model's module covering the task (its own, or the shared one), if any. */
    module: ModuleRecord | null;
    /** Fingerprints of the other base models that have a module for the task. */
    otherBaseModels: string[];
};

export type GetTaskModuleStatesOptions = {
    /** `task-lora`: Dynamic ConPET's module per task; `shared-lora`: the single LoRA of the other modes. */
    kind: "task-lora" | "shared-lora";
    /** `ModelInfo.fingerprint` of the current base model. */
    baseModelFingerprint: string;
};

/**
 * Every task's module state, keyed by task id: learned tasks first (in learning order for a shared
 * module, task order otherwise), then the rest in task order.
 */
export async function getTaskModuleStates(store: CoreStore, {kind, baseModelFingerprint}: GetTaskModuleStatesOptions): Promise<Map<number, TaskModuleInfo>> {
    const [tasks, modules] = await Promise.all([store.listTasks(), store.listModules()]);
    const ofKind = modules.filter((m) => m.kind === kind);
    const current = ofKind.filter((m) => m.baseModelFingerprint === baseModelFingerprint);
    const fileStates = new Map(await Promise.all(current.map(async (m) => [m.id, await store.checkModuleFile(m)] as const)));
    const coveredBy = (module: ModuleRecord) => kind === "task-lora"
        ? new Map(module.taskId === null ? [] : [[module.taskId, module.samplesHash]])
        : new Map(parseModuleState(module.samplesHash).tasks.map((t) => [t.id, t.hash]));

    // A shared module lists its tasks in learning order; keep it so callers can continue it.
    const order = kind === "shared-lora" && current[0] !== undefined ? [...coveredBy(current[0]).keys()] : [];
    const ordered = [...order.flatMap((id) => tasks.filter((t) => t.id === id)), ...tasks.filter((t) => !order.includes(t.id))];
    const states = new Map<number, TaskModuleInfo>();
    for (const task of ordered) {
        const otherBaseModels = [...new Set(ofKind.filter((m) => m.baseModelFingerprint !== baseModelFingerprint && coveredBy(m).has(task.id)).map((m) => m.baseModelFingerprint))];
        const module = current.find((m) => coveredBy(m).has(task.id)) ?? null;
        if (module === null) {
            states.set(task.id, otherBaseModels.length > 0 ? {state: "stale", reason: "other-base-model", module, otherBaseModels} : {state: "untrained", module, otherBaseModels});
            continue;
        }
        const file = fileStates.get(module.id);
        if (file !== "present")
            states.set(task.id, {state: "missing", reason: file === "missing" ? "file-missing" : "file-damaged", module, otherBaseModels});
        else if (coveredBy(module).get(task.id) !== await store.getSamplesHash(task.id))
            states.set(task.id, {state: "stale", reason: "samples-changed", module, otherBaseModels});
        else
            states.set(task.id, {state: "ready", module, otherBaseModels});
    }
    return states;
}

/** The ids of the tasks whose module is `ready`, in the order of `getTaskModuleStates`. */
export async function getReadyTaskIds(store: CoreStore, options: GetTaskModuleStatesOptions): Promise<number[]> {
    return [...(await getTaskModuleStates(store, options))].filter(([, info]) => info.state === "ready").map(([id]) => id);
}
