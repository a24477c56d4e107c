import * as vscode from "vscode";
import {commandIds, panelViewType} from "../constants";
import type {ErrorReporter} from "../errors/ErrorReporter";
import {errorToPayload} from "../../vocabulary/errors";
import {getPanelHtml} from "./getPanelHtml";
import {getPanelState, getPanelTraining, type PanelStateSources} from "./getPanelState";
import {parseWebviewMessage} from "./parseWebviewMessage";
import type {HostMessage, PanelCommand, PanelState} from "./protocol";

const commandsByName: Record<PanelCommand, string> = {
    train: commandIds.train,
    cancelTraining: commandIds.cancelTraining,
    selectModel: commandIds.selectModel,
    createTask: commandIds.createTask,
    importExamples: commandIds.importExamples,
    showLogs: commandIds.showLogs,
    refresh: commandIds.refresh
};

/**
 * The module status panel: at most one webview panel, restored after a reload by the serializer.
 * The host owns the state and pushes it; the webview posts `ready` first and everything sent
 * before that waits in a queue.
 */
export class PanelController implements vscode.Disposable {
    private _panel: vscode.WebviewPanel | undefined;
    private _ready = false;
    private _queue: HostMessage[] = [];
    private _panelDisposables: vscode.Disposable[] = [];
    private readonly _disposables: vscode.Disposable[] = [];
    private _pendingState: Promise<void> | undefined;
    private _stateDirty = false;

    /** @internal The last state sent, for the test hooks. */
    public lastState: PanelState | null = null;

    public constructor(
        private readonly _extensionUri: vscode.Uri,
        private readonly _sources: PanelStateSources,
        private readonly _errors: ErrorReporter
    ) {
        this._disposables.push(
            vscode.window.registerWebviewPanelSerializer(panelViewType, {
                deserializeWebviewPanel: async (panel) => {
                    this._attach(panel);
                }
            }),
            _sources.services.onDidChangeData(() => this.update()),
            _sources.services.onDidChangeModelInfo(() => this.update()),
            _sources.tasksModel.onDidChange(() => this.update()),
            _sources.trainingElsewhere.onDidChange(() => this.update()),
            _sources.training.onDidChange(() => {
                if (this._panel !== undefined)
                    this._post({type: "train/progress", training: getPanelTraining(_sources.training)});
            }),
            vscode.workspace.onDidGrantWorkspaceTrust(() => this.update())
        );
    }

    public get isOpen(): boolean {
        return this._panel !== undefined;
    }

    public show(): void {
        if (this._panel !== undefined) {
            this._panel.reveal();
            return;
        }
        const panel = vscode.window.createWebviewPanel(panelViewType, "ConPET", vscode.ViewColumn.Active, this._getWebviewOptions());
        this._attach(panel);
    }

    /** Recomputes the state and sends it, coalescing bursts of changes into one message. */
    public update(): void {
        if (this._panel === undefined)
            return;
        this._stateDirty = true;
        this._pendingState ??= (async () => {
            try {
                while (this._stateDirty && this._panel !== undefined) {
                    this._stateDirty = false;
                    const state = await getPanelState(this._sources);
                    this.lastState = state;
                    this._post({type: "state/didChange", state});
                }
            } catch (err) {
                this._errors.report(err, "panel");
            } finally {
                this._pendingState = undefined;
            }
        })();
    }

    public dispose(): void {
        this._panel?.dispose();
        for (const disposable of this._disposables)
            disposable.dispose();
    }

    private _getWebviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
        return {
            enableScripts: true,
            retainContextWhenHidden: false,
            localResourceRoots: [vscode.Uri.joinPath(this._extensionUri, "media"), vscode.Uri.joinPath(this._extensionUri, "dist")]
        };
    }

    private _attach(panel: vscode.WebviewPanel): void {
        this._panel = panel;
        this._ready = false;
        this._queue = [];
        panel.iconPath = vscode.Uri.joinPath(this._extensionUri, "media", "conpet.svg");
        panel.webview.options = this._getWebviewOptions();
        this._panelDisposables.push(
            panel.webview.onDidReceiveMessage((message: unknown) => this._onMessage(message)),
            panel.onDidDispose(() => {
                for (const disposable of this._panelDisposables)
                    disposable.dispose();
                this._panelDisposables = [];
                this._panel = undefined;
                this._ready = false;
                this._queue = [];
            })
        );
        panel.webview.html = getPanelHtml(panel.webview, this._extensionUri);
    }

    private _onMessage(raw: unknown): void {
        const message = parseWebviewMessage(raw);
        if (message === undefined)
            return;
        if (message.type === "ready") {
            // A webview that reloads (hidden and shown again) sends `ready` again and gets a fresh state.
            this._ready = true;
            const queued = this._queue;
            this._queue = [];
            for (const item of queued)
                if (item.type === "reply")
                    void this._panel?.webview.postMessage(item);
            this.update();
            return;
        }
        const {id, params} = message;
        void (async () => {
            try {
                const res = await vscode.commands.executeCommand(commandsByName[params.command]);
                this._post({type: "reply", id, res: res === undefined ? null : toPlain(res)});
            } catch (err) {
                const {code, message: text} = errorToPayload(err);
                this._post({type: "reply", id, err: {code, message: text}});
            }
        })();
    }

    private _post(message: HostMessage): void {
        if (this._panel === undefined)
            return;
        if (!this._ready) {
            // Only replies need queueing: state and progress are resent in full once the webview is ready.
            if (message.type === "reply")
                this._queue.push(message);
            return;
        }
        void this._panel.webview.postMessage(message);
    }
}

function toPlain(value: unknown): unknown {
    try {
        return JSON.parse(JSON.stringify(value)) as unknown;
    } catch {
        return null;
    }
}
