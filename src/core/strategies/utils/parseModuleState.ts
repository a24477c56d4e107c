/**
 * Shared LoRAs and selectors cover several tasks, so their `samplesHash` holds a JSON map of the
 * tasks they learned (task id → that task's samples hash when learned), in learning order.
 */
export type ModuleState = {
    tasks: {id: number; hash: string}[];
    /** Selectors only: which variant wrote the module's file. */
    selectorKind?: "embedding" | "lora";
};

export function parseModuleState(samplesHash: string | undefined): ModuleState {
    if (samplesHash === undefined || samplesHash === "")
        return {tasks: []};
    try {
        const value = JSON.parse(samplesHash) as Partial<ModuleState>;
        if (Array.isArray(value.tasks)) {
            const tasks = value.tasks.filter((t) => typeof t?.id === "number" && typeof t.hash === "string");
            return value.selectorKind === "embedding" || value.selectorKind === "lora" ? {tasks, selectorKind: value.selectorKind} : {tasks};
        }
    } catch {
        // A hash written by something else: treat as covering nothing, so it gets retrained.
    }
    return {tasks: []};
}

export function serializeModuleState(state: ModuleState): string {
    return JSON.stringify(state.selectorKind === undefined ? {tasks: state.tasks} : {tasks: state.tasks, selectorKind: state.selectorKind});
}

/** The state with `task` learned last (replacing an earlier entry for it). */
export function withLearnedTask(state: ModuleState, task: {id: number; hash: string}): ModuleState {
    return {...state, tasks: [...state.tasks.filter((t) => t.id !== task.id), task]};
}
