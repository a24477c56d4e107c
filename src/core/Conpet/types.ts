import type {ModelInfo} from "../../engine/protocol";
import type {SelectorKind} from "../Selector/types";
import type {LearnTaskResult} from "../strategies/types";
import type {Evaluation, ModuleRecord, Task} from "../types";
import type {ConpetMode} from "./resolveConpetSettings";

/** `untrained`: no module yet. `stale`: samples changed since its module was trained. */
export type TaskModuleState = "untrained" | "training" | "ready" | "stale";

export type ConpetTaskStatus = {
    task: Task;
    state: TaskModuleState;
    trainSamples: number;
    testSamples: number;
    /** Dynamic: the task's own module; static: the shared module once the task is learned. */
    module: ModuleRecord | null;
};

export type ConpetStatus = {
    mode: ConpetMode;
    modelPath: string;
    engine: ModelInfo | null;
    training: boolean;
    tasks: ConpetTaskStatus[];
    selector: {kind: SelectorKind; module: ModuleRecord; accuracy: number | null} | null;
    sharedModule: ModuleRecord | null;
    /** What dynamic replay draws from: stored train samples per task. */
    replay: {tasks: number; samples: number};
    lastEvaluation: Evaluation | null;
};

/** Progress of `train`: the phase, which task of how many, and the step within its run. */
export type ConpetTrainProgress = {
    phase: "task" | "selector";
    task?: string;
    taskIndex: number;
    taskCount: number;
    step: number;
    totalSteps: number;
    loss?: number;
    etaSeconds?: number;
};

export type ConpetTrainOptions = {
    signal?: AbortSignal;
    onProgress?(progress: ConpetTrainProgress): void;
};

export type ConpetTrainResult = {
    learned: ({task: string} & LearnTaskResult)[];
    /** Whether only the selector was retrained (e.g. after a task was deleted). */
    selectorRetrained: boolean;
};
