import path from "node:path";
import * as vscode from "vscode";
import {commandIds} from "../constants";
import type {ConpetServices} from "../services/ConpetServices";
import type {TrainingElsewhere} from "../training/TrainingElsewhere";
import type {TrainingState} from "../training/TrainingState";
import {formatTimeLeft} from "../utils/formatTrainingProgress";

/**
 * The status bar item: the model and its backend (a click picks the model), or the training progress
 * (a click opens the panel, with the live loss curve), or another window's training of the same store.
 */
export class StatusBarController implements vscode.Disposable {
    private readonly _item = vscode.window.createStatusBarItem("conpet.status", vscode.StatusBarAlignment.Left, 50);
    private readonly _disposables: vscode.Disposable[] = [];
    private _engineCrashed = false;

    public constructor(private readonly _services: ConpetServices, private readonly _training: TrainingState, private readonly _elsewhere: TrainingElsewhere) {
        this._item.name = "ConPET";
        this._disposables.push(
            this._item,
            _training.onDidChange(() => this.update()),
            _elsewhere.onDidChange(() => this.update()),
            _services.onDidChangeModelInfo((info) => {
                if (info !== null)
                    this._engineCrashed = false;
                this.update();
            }),
            vscode.workspace.onDidChangeConfiguration((event) => {
                if (event.affectsConfiguration("conpet"))
                    this.update();
            })
        );
        this.update();
        this._item.show();
    }

    /** Marks the engine as crashed until the next successful load. */
    public reportEngineCrash(): void {
        this._engineCrashed = true;
        this.update();
    }

    public update(): void {
        const progress = this._training.progress;
        if (this._training.isRunning) {
            const parts = ["$(sync~spin) ConPET"];
            if (progress?.task !== undefined)
                parts.push(`${progress.task} ${progress.taskIndex + 1}/${progress.taskCount}`);
            if (progress?.phase === "evaluate")
                parts.push("measuring");
            if (progress !== undefined && progress.totalSteps > 0)
                parts.push(`${Math.round((progress.step / progress.totalSteps) * 100)}%`);
            if (progress?.loss !== undefined)
                parts.push(`loss ${progress.loss.toFixed(3)}`);
            this._item.text = parts.join(" ");
            this._item.command = commandIds.openPanel;
            this._item.tooltip = `ConPET is ${progress?.phase === "evaluate" ? "measuring accuracy" : progress?.phase === "selector" ? "retraining the selector" : "training"}; ${formatTimeLeft(this._training.estimate)}. Click to open the panel.`;
            this._item.backgroundColor = undefined;
            return;
        }
        const elsewhere = this._elsewhere.current;
        if (this._elsewhere.text !== null && elsewhere !== undefined) {
            this._item.text = `$(sync~spin) ${this._elsewhere.text}`;
            this._item.command = commandIds.openPanel;
            this._item.tooltip = `${elsewhere.label} (process ${elsewhere.pid}) is training the ConPET store this window shares; a Train here waits for it. Click to open the panel.`;
            this._item.backgroundColor = undefined;
            return;
        }
        const settings = this._services.getSettings();
        const info = this._services.modelInfo;
        this._item.command = commandIds.selectModel;
        if (settings.modelPath === "") {
            this._item.text = "$(circuit-board) ConPET: no model";
            this._item.tooltip = "No base model selected. Click to select one.";
            this._item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
            return;
        }
        const name = path.basename(settings.modelPath).replace(/\.gguf$/i, "");
        const offloaded = info !== null && info.gpuLayers > 0 ? ` ${info.gpuLayers}/${info.layers}` : "";
        const backend = this._engineCrashed ? "engine stopped" : info === null ? "not loaded" : `${info.backend.toUpperCase()}${offloaded}`;
        const warning = this._engineCrashed || info?.gpuBackendProblem !== undefined;
        this._item.text = `${warning ? "$(warning)" : "$(circuit-board)"} ${name} · ${backend}`;
        this._item.tooltip = info === null
            ? `ConPET model: ${settings.modelPath}\nThe engine starts on first use. Click to select another model.`
            : `ConPET model: ${info.modelPath}\nBackend ${info.backend.toUpperCase()}, ${info.gpuLayers}/${info.layers} layers on the GPU`
                + (info.gpuBackendProblem === undefined ? "" : `\n${info.gpuBackendProblem}`)
                + "\nClick to select another model.";
        this._item.backgroundColor = warning ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    }

    public dispose(): void {
        for (const disposable of this._disposables)
            disposable.dispose();
    }
}
