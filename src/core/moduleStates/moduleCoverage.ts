/**
 * Shared LoRAs and selectors cover several tasks, so their `samplesHash` holds a JSON map of the
 * tasks they learned (task id → that task's samples hash when learned), in learning order.
 */
export type ModuleCoverage = {
    tasks: {id: number; hash: string}[];
    /** Selectors only: which variant wrote the module's file. */
    selectorKind?: "embedding" | "lora";
};

export function parseModuleCoverage(samplesHash: string | undefined): ModuleCoverage {
    if (samplesHash === undefined || samplesHash === "")
        return {tasks: []};
    try {
        const value = JSON.parse(samplesHash) as Partial<ModuleCoverage>;
        if (Array.isArray(value.tasks)) {
            const tasks = value.tasks.filter((t) => typeof t?.id === "number" && typeof t.hash === "string");
            return value.selectorKind === "embedding" || value.selectorKind === "lora" ? {tasks, selectorKind: value.selectorKind} : {tasks};
        }
    } catch {
        // A hash written by something else: treat as covering nothing, so it gets retrained.
    }
    return {tasks: []};
}

export function serializeModuleCoverage(coverage: ModuleCoverage): string {
    return JSON.stringify(coverage.selectorKind === undefined ? {tasks: coverage.tasks} : {tasks: coverage.tasks, selectorKind: coverage.selectorKind});
}

/** The coverage with `task` learned last (replacing an earlier entry for it). */
export function withLearnedTask(coverage: ModuleCoverage, task: {id: number; hash: string}): ModuleCoverage {
    return {...coverage, tasks: [...coverage.tasks.filter((t) => t.id !== task.id), task]};
}
