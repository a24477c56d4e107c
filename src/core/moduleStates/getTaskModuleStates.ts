/**
 * The one rule for what a task's module is (see `TaskModuleState`), used by the strategies (what
 * counts as learned), by `Conpet` (status, refusing to answer with a lost module), by the tasks
 * tree and the panel, and by `conpet task list`. Only modules of the current base model count;
 * modules of several base models coexist, so switching back to a model finds its modules ready again.
 */
import type {ConpetMode} from "../settings/conpetSettingsSchema";
import type {CoreStore} from "../dependencyTypes";
import type {ModuleRecord} from "../../vocabulary/types";
import {parseModuleCoverage} from "./moduleCoverage";
import type {TaskModuleStatus} from "./types";

export type GetTaskModuleStatesOptions = {
    /** Whose modules count: Dynamic ConPET's module per task, or the one shared LoRA of the other modes. */
    mode: ConpetMode;
    /**
     * `ModelInfo.fingerprint` of the current base model. Without it (no model loaded yet: the sidebar,
     * `conpet task list` without `--model`), the base model the store last trained a module of `mode` on.
     */
    baseModelFingerprint?: string;
    /** Whether a training in progress is learning this task now (asked with its state without it); it then reads `training`. */
    isTraining?(status: TaskModuleStatus): boolean;
};

/** Every task's module state and sample counts, in task (creation) order. */
export async function getTaskModuleStates(store: CoreStore, {mode, baseModelFingerprint, isTraining}: GetTaskModuleStatesOptions): Promise<TaskModuleStatus[]> {
    const kind = getModuleKind(mode);
    const [tasks, modules, counts] = await Promise.all([store.listTasks(), store.listModules(), store.countSamplesByTask()]);
    const ofKind = modules.filter((m) => m.kind === kind);
    const base = baseModelFingerprint ?? ofKind.reduce<ModuleRecord | undefined>((newest, m) => newest === undefined || m.id > newest.id ? m : newest, undefined)?.baseModelFingerprint ?? "";
    const current = ofKind.filter((m) => m.baseModelFingerprint === base);
    const fileStates = new Map(await Promise.all(current.map(async (m) => [m.id, await store.checkModuleFile(m)] as const)));
    const coveredBy = (module: ModuleRecord) => kind === "task-lora"
        ? new Map(module.taskId === null ? [] : [[module.taskId, module.samplesHash]])
        : new Map(parseModuleCoverage(module.samplesHash).tasks.map((t) => [t.id, t.hash]));
    const countsOf = new Map(counts.map((c) => [c.taskId, c]));

    const statuses: TaskModuleStatus[] = [];
    for (const task of tasks) {
        const otherBaseModels = [...new Set(ofKind.filter((m) => m.baseModelFingerprint !== base && coveredBy(m).has(task.id)).map((m) => m.baseModelFingerprint))];
        const module = current.find((m) => coveredBy(m).has(task.id)) ?? null;
        const common = {task, module, otherBaseModels, trainSamples: countsOf.get(task.id)?.train ?? 0, testSamples: countsOf.get(task.id)?.test ?? 0};
        let status: TaskModuleStatus;
        if (module === null)
            status = otherBaseModels.length > 0 ? {...common, state: "stale", reason: "other-base-model"} : {...common, state: "untrained"};
        else if (fileStates.get(module.id) !== "present")
            status = {...common, state: "missing", reason: fileStates.get(module.id) === "missing" ? "file-missing" : "file-damaged"};
        else if (coveredBy(module).get(task.id) !== await store.getSamplesHash(task.id))
            status = {...common, state: "stale", reason: "samples-changed"};
        else
            status = {...common, state: "ready"};
        statuses.push(isTraining?.(status) === true ? {...status, state: "training"} : status);
    }
    return statuses;
}

/**
 * The ids of the tasks whose module is `ready` for the given base model: what a strategy has
 * learned. A shared module's tasks come in learning order, so a strategy can continue it.
 */
export async function getReadyTaskIds(store: CoreStore, options: {mode: ConpetMode; baseModelFingerprint: string}): Promise<number[]> {
    const ready = (await getTaskModuleStates(store, options)).filter((status) => status.state === "ready");
    const shared = getModuleKind(options.mode) === "shared-lora" ? ready[0]?.module : undefined;
    if (shared == null)
        return ready.map((status) => status.task.id);
    const learningOrder = parseModuleCoverage(shared.samplesHash).tasks.map((t) => t.id);
    return ready.map((status) => status.task.id).sort((a, b) => learningOrder.indexOf(a) - learningOrder.indexOf(b));
}

/** Dynamic ConPET learns a module per task; every other mode one LoRA shared by the tasks, which records each task it learned. */
function getModuleKind(mode: ConpetMode): "task-lora" | "shared-lora" {
    return mode === "dynamic" ? "task-lora" : "shared-lora";
}
