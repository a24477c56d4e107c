import type {ModuleStateReason, TaskModuleState} from "../../core/moduleStates/types";

const reasonTexts: Record<ModuleStateReason, string> = {
    "samples-changed": "samples changed since training: train again",
    "other-base-model": "trained on another base model: train again for this one",
    "file-missing": "module file missing: train again",
    "file-damaged": "module file damaged: train again"
};

const stateTexts: Record<TaskModuleState, string> = {
    untrained: "not trained yet",
    training: "training…",
    ready: "ready",
    stale: reasonTexts["samples-changed"],
    missing: reasonTexts["file-missing"]
};

/** What a task's module state means for the user, with why it is `stale` or `missing`: the tree and the panel say it alike. */
export function describeModuleState(state: TaskModuleState, reason: ModuleStateReason | null | undefined): string {
    return (state === "stale" || state === "missing") && reason !== null && reason !== undefined ? reasonTexts[reason] : stateTexts[state];
}
