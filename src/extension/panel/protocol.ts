/**
 * The panel's messages, shared by the extension host (`PanelController`) and the webview
 * (`webview/panel/main.ts`). Types only: both sides import it, neither bundles code from it.
 *
 * The webview posts `ready` first; the host queues everything until then and then sends
 * `state/didChange`. A request has an `id` and gets exactly one `reply` with `res` or `err`.
 */
import type {ModuleStateReason, TaskModuleState} from "../../core/moduleStates/types";
import type {LossPoint, TaskKind} from "../../vocabulary/types";

export type PanelModule = {
    id: number;
    rank: number;
    alpha: number;
    targetModules: string[];
    sizeBytes: number;
    trainableParameters: number;
    trainedAt: string;
    finalLoss: number | null;
    heldOutLoss: number | null;
    heldOutAccuracy: number | null;
    trainSeconds: number | null;
};

export type PanelTask = {
    id: number;
    name: string;
    kind: TaskKind;
    labels: string[];
    state: TaskModuleState;
    /** Why the module is `stale` or `missing`. */
    reason: ModuleStateReason | null;
    trainSamples: number;
    testSamples: number;
    module: PanelModule | null;
    /** Accuracy on held-out samples in the latest evaluation; null when not measured or the task has none. */
    heldOutAccuracy: number | null;
    /** Accuracy on the task's training samples, measured for lack of held-out ones (never shown as plain accuracy). */
    trainAccuracy: number | null;
};

export type PanelEngine = {
    modelPath: string;
    /** `true` once the engine loaded the model (backend and memory are known then). */
    loaded: boolean;
    backend: string | null;
    /** Why the installed GPU backend is not used (the engine runs on the CPU), or null. */
    gpuBackendProblem: string | null;
    /** The backend "Enable GPU Acceleration" installed (`cuda`, `vulkan`), or null. */
    installedGpuBackend: string | null;
    gpuLayers: number | null;
    layers: number | null;
    parameters: number | null;
    fileType: string | null;
    vramUsedBytes: number | null;
    rssBytes: number | null;
};

export type PanelTrainProgress = {
    task: string | null;
    phase: "task" | "selector" | "evaluate";
    taskIndex: number;
    taskCount: number;
    step: number;
    totalSteps: number;
    loss: number | null;
    /** Share of the whole training done, 0 to 1. */
    fraction: number;
};

export type PanelTraining = {
    running: boolean;
    progress: PanelTrainProgress | null;
    /**
     * Time left of the whole training; `lowerBound` while a phase has not been timed yet,
     * `fromEarlierRuns` before this training timed anything; null: nothing to estimate from yet.
     */
    estimate: {seconds: number; lowerBound: boolean; fromEarlierRuns?: boolean} | null;
    /** The live curves while training; the last finished run per task otherwise. */
    lossCurves: {task: string; points: LossPoint[]; live: boolean}[];
};

export type PanelEvaluation = {
    createdAt: string;
    mode: string;
    tasks: string[];
    /** Row t: accuracy (0..1) on tasks 0..t after learning task t. */
    matrix: number[][];
    selectorAccuracy: number | null;
    /** Tasks without held-out samples, measured on their training samples instead. */
    trainMeasured: string[];
    /** Mean of the last row over the tasks measured on held-out samples; null when none was. */
    heldOutAverage: number | null;
};

export type PanelAnswer = {
    input: string;
    output: string;
    task: string;
    /** The label's probability among its task's labels; null for generated text. */
    answerProbability: number | null;
    /** The selector's probability for `task`; null when the user named the task. */
    routeProbability: number | null;
    routed: boolean;
};

export type PanelState = {
    tasks: PanelTask[];
    /** `accuracy`: routing accuracy on held-out inputs; `trainAccuracy`: on the samples it was trained on. */
    selector: {kind: string; accuracy: number | null; trainAccuracy: number | null; trainedAt: string | null};
    replay: {trainSamples: number; testSamples: number; capPerTask: number; ratio: number; stepsPerTask: number};
    mode: string;
    training: PanelTraining;
    evaluation: PanelEvaluation | null;
    engine: PanelEngine;
    lastAnswer: PanelAnswer | null;
    trusted: boolean;
    /** "Training in another window: …" while another window or the CLI trains the store; null otherwise. */
    trainingElsewhere: string | null;
};

/** Buttons of the panel run these commands (by short name, mapped to `conpet.*` by the host). */
export type PanelCommand = "train" | "cancelTraining" | "selectModel" | "createTask" | "importExamples" | "showLogs" | "refresh";

export type WebviewMessage =
    | {type: "ready"}
    | {type: "request"; id: number; method: "runCommand"; params: {command: PanelCommand}};

export type HostMessage =
    | {type: "state/didChange"; state: PanelState}
    | {type: "train/progress"; training: PanelTraining}
    | {type: "reply"; id: number; res?: unknown; err?: {code: string; message: string}};
