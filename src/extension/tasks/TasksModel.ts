import * as vscode from "vscode";
import {getTaskModuleStates} from "../../core/moduleStates/getTaskModuleStates";
import type {TaskModuleStatus} from "../../core/moduleStates/types";
import type {Sample} from "../../vocabulary/types";
import type {ConpetServices} from "../services/ConpetServices";
import type {TrainingState} from "../training/TrainingState";

/** What the sidebar and the panel show for one task: its module state and sample counts, and the latest accuracies. */
export type TaskSummary = TaskModuleStatus & {
    /** Accuracy on held-out samples in the latest evaluation, or null (not measured, or no held-out samples). */
    heldOutAccuracy: number | null;
    /**
     * Accuracy on the task's own training samples, measured for lack of held-out ones: it says the
     * module learned them, not how it does on new inputs, so it is never shown as plain accuracy.
     */
    trainAccuracy: number | null;
    /** Corrections of ConPET's answers stored in the task since its module was trained: the next training learns them. */
    pendingCorrections: number;
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
            // States are judged for the loaded base model: a load or a switch changes them.
            _services.onDidChangeModelInfo((info) => {
                if (info !== null && info.fingerprint !== this._fingerprint) {
                    this._fingerprint = info.fingerprint;
                    this.refresh();
                }
            }),
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
    private _fingerprint: string | undefined;

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
        const training = this._training.isRunning;
        const trainingTask = this._training.progress?.task;
        const [statuses, evaluations] = await Promise.all([
            getTaskModuleStates(store, {
                mode: this._services.getSettings().mode,
                // Until this window loads the model, states are judged for the base model the store last trained a module on
                // (as `conpet task list` does without `--model`): the sidebar shows tasks without starting the engine.
                baseModelFingerprint: this._services.modelInfo?.fingerprint,
                // Before its first progress report a training is about to learn what is not ready; then the task it names
                // (Retrain All also relearns ready tasks).
                isTraining: (status) => training && status.trainSamples > 0 && (trainingTask === undefined ? status.state !== "ready" : trainingTask === status.task.name)
            }),
            store.listEvaluations()
        ]);
        const evaluation = evaluations.at(-1);
        const lastRow = evaluation?.accuracyMatrix.at(-1) ?? [];
        const measuredOn = (evaluation?.details.measuredOn ?? {}) as Record<string, "test" | "train" | undefined>;
        return await Promise.all(statuses.map(async (status): Promise<TaskSummary> => {
            const column = evaluation?.tasks.indexOf(status.task.name) ?? -1;
            const evaluated = column >= 0 ? lastRow[column] ?? null : null;
            const onTrain = measuredOn[status.task.name] === "train";
            // A ready module has learned every sample there is; otherwise the corrections since it was trained wait.
            const pendingCorrections = status.state === "ready" ? 0
                : await store.countSamples({taskId: status.task.id, split: "train", sourceKind: "correction", createdAfter: status.module?.trainedAt});
            return {...status, heldOutAccuracy: onTrain ? null : evaluated, trainAccuracy: onTrain ? evaluated : null, pendingCorrections};
        }));
    }
}
