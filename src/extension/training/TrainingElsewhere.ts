import * as vscode from "vscode";
import {trainingLeaseHeartbeatMs} from "../../core/Conpet/types";
import type {ConpetServices} from "../services/ConpetServices";
import type {TrainingState} from "./TrainingState";

/** Another process (window, CLI) training the shared store, from its training lease. */
export type TrainingElsewhereInfo = {label: string; pid: number; task: string | null; step: number; totalSteps: number};

/**
 * Watches the store's training lease (what `Conpet.getStatus().trainingElsewhere` reads, without
 * loading a model): another window or `conpet train` holding it is shown, so a second Train is not
 * a surprise. Polled at the owner's heartbeat, which is when its progress changes; a lease held while
 * this window trains is its own.
 */
export class TrainingElsewhere implements vscode.Disposable {
    private readonly _onDidChange = new vscode.EventEmitter<void>();
    private readonly _timer = setInterval(() => void this._poll(), trainingLeaseHeartbeatMs);
    private _current: TrainingElsewhereInfo | undefined;
    private _text: string | null = null;

    public readonly onDidChange = this._onDidChange.event;

    public constructor(private readonly _services: ConpetServices, private readonly _training: TrainingState) {
        void this._poll();
    }

    public get current(): TrainingElsewhereInfo | undefined {
        return this._current;
    }

    /** "Training in another window: log-level 40/200", or null when no other process trains the store. */
    public get text(): string | null {
        return this._text;
    }

    public dispose(): void {
        clearInterval(this._timer);
        this._onDidChange.dispose();
    }

    private async _poll(): Promise<void> {
        let current: TrainingElsewhereInfo | undefined;
        try {
            const lease = this._training.isRunning ? undefined : await (await this._services.getStore()).getTrainingLease();
            current = lease === undefined ? undefined : {label: lease.label, pid: lease.pid, ...readProgress(lease.progress)};
        } catch {
            // The store could not be read (being replaced, disposed): the views say why; nothing to show here.
            current = undefined;
        }
        const text = current === undefined ? null : formatTrainingElsewhere(current);
        this._current = current;
        if (text !== this._text) {
            // The other training ended: its modules are in the store now, so the views reread it.
            if (text === null)
                this._services.notifyDataChanged();
            this._text = text;
            this._onDidChange.fire();
        }
    }
}

function formatTrainingElsewhere({label, pid, task, step, totalSteps}: TrainingElsewhereInfo): string {
    return task === null ? `Training in another window: ${label} (process ${pid})` : `Training in another window: ${task} ${step}/${totalSteps}`;
}

/** The lease's progress is another process's `ConpetTrainProgress`, stored as JSON: read what is there. */
function readProgress(progress: unknown): Pick<TrainingElsewhereInfo, "task" | "step" | "totalSteps"> {
    const {task, step, totalSteps} = (typeof progress === "object" && progress !== null ? progress : {}) as Record<string, unknown>;
    return typeof task === "string" && typeof step === "number" && typeof totalSteps === "number"
        ? {task, step, totalSteps}
        : {task: null, step: 0, totalSteps: 0};
}
