import * as vscode from "vscode";
import {parseModuleState} from "../../core/strategies/utils/parseModuleState";
import type {ModuleRecord, Sample, Task} from "../../core/types";
import type {ConpetServices} from "../services/ConpetServices";
import type {TrainingState} from "../training/TrainingState";

export type ModuleState = "untrained" | "training" | "ready" | "stale";

/** What the sidebar and the panel show for one task. */
export type TaskSummary = {
    task: Task;
    trainSamples: number;
    testSamples: number;
    module: ModuleRecord | undefined;
    state: ModuleState;
    /** Accuracy on held-out samples in the latest evaluation, or null (not measured, or no held-out samples). */
    heldOutAccuracy: number | null;
    /**
     * Accuracy on the task's own training samples, measured for lack of held-out ones: it says the
     * module learned them, not how it does on new inputs, so it is never shown as plain accuracy.
     */
    trainAccuracy: number | null;
};

/**
 * The sidebar's data: the tasks with their sample counts and module state, read from the store.
 * It reloads when the services report a change or a training starts or ends, and fires
 * `onDidChange` afterwards; `TasksTreeProvider` only maps it to tree items.
 */
export class TasksModel implements vscode.Disposable {
    private readonly _onDidChange = new vscode.EventEmitter<void>();
    private readonly _disposables: vscode.Disposable[] = [];
    private _summaries: Promise<TaskSummary[]> | undefined;
    private _wasTraining = false;

    public readonly onDidChange = this._onDidChange.event;

    public constructor(private readonly _services: ConpetServices, private readonly _training: TrainingState) {
        this._disposables.push(
            this._onDidChange,
            _services.onDidChangeData(() => this.refresh()),
            _training.onDidChange(() => {
                // Progress events are frequent; only a start, an end or a new task changes a state icon.
                const task = _training.progress?.task;
                if (_training.isRunning !== this._wasTraining || task !== this._trainingTask) {
                    this._wasTraining = _training.isRunning;
                    this._trainingTask = task;
                    this.refresh();
                }
            })
        );
    }

    private _trainingTask: string | undefined;

    public refresh(): void {
        this._summaries = undefined;
        this._onDidChange.fire();
    }

    public getTasks(): Promise<TaskSummary[]> {
        this._summaries ??= this._load();
        return this._summaries;
    }

    /** The first `limit` samples of a task, training samples first. */
    public async getSamples(taskId: number, limit: number): Promise<Sample[]> {
        const store = await this._services.getStore();
        const train = await store.listSamples(taskId, {split: "train", limit});
        if (train.length >= limit)
            return train;
        return [...train, ...await store.listSamples(taskId, {split: "test", limit: limit - train.length})];
    }

    public dispose(): void {
        for (const disposable of this._disposables)
            disposable.dispose();
    }

    private async _load(): Promise<TaskSummary[]> {
        const store = await this._services.getStore();
        const [tasks, modules, evaluations] = await Promise.all([store.listTasks(), store.listModules(), store.listEvaluations()]);
        const evaluation = evaluations.at(-1);
        const lastRow = evaluation?.accuracyMatrix.at(-1) ?? [];
        const measuredOn = (evaluation?.details.measuredOn ?? {}) as Record<string, "test" | "train" | undefined>;
        const shared = modules.find((module) => module.kind === "shared-lora");
        const sharedState = new Map(parseModuleState(shared?.samplesHash).tasks.map((entry) => [entry.id, entry.hash]));
        const training = this._training.isRunning;
        const trainingTask = this._training.progress?.task;
        return await Promise.all(tasks.map(async (task): Promise<TaskSummary> => {
            const [trainSamples, testSamples, hash] = await Promise.all([
                store.countSamples({taskId: task.id, split: "train"}),
                store.countSamples({taskId: task.id, split: "test"}),
                store.getSamplesHash(task.id)
            ]);
            // Dynamic: the task's own module, stale when its samples changed since. Static: the shared
            // module, which records the samples hash of every task it learned.
            const module = this._services.getSettings().mode === "dynamic"
                ? modules.find((candidate) => candidate.taskId === task.id && candidate.kind === "task-lora")
                : shared !== undefined && sharedState.has(task.id) ? shared : undefined;
            const learnedHash = module === undefined ? undefined : module.kind === "shared-lora" ? sharedState.get(task.id) : module.samplesHash;
            const state: ModuleState = training && trainSamples > 0 && (trainingTask === undefined || trainingTask === task.name) && learnedHash !== hash
                ? "training"
                : module === undefined
                    ? "untrained"
                    : learnedHash !== hash ? "stale" : "ready";
            const column = evaluation?.tasks.indexOf(task.name) ?? -1;
            const evaluated = column >= 0 ? lastRow[column] ?? null : null;
            const onTrain = measuredOn[task.name] === "train";
            return {
                task, trainSamples, testSamples, module, state,
                heldOutAccuracy: onTrain ? null : evaluated,
                trainAccuracy: onTrain ? evaluated : null
            };
        }));
    }
}
