import * as vscode from "vscode";
import {ConpetError, errorToPayload, type ErrorCode, type ErrorPayload} from "../../vocabulary/errors";
import {commandIds} from "../constants";
import {UntrustedWorkspaceError} from "../trust/UntrustedWorkspaceError";

type NextStep = {title: string; command: string; args?: unknown[]};

const showLogs: NextStep = {title: "Show Logs", command: commandIds.showLogs};
const selectModel: NextStep = {title: "Select Model…", command: commandIds.selectModel};
const openSettings = (query: string): NextStep => ({title: "Open Settings", command: "workbench.action.openSettings", args: [query]});

/** The one next step offered for each error code; codes not listed only get "Show Logs". */
const nextSteps: Partial<Record<ErrorCode, NextStep>> = {
    MODEL_NOT_SELECTED: selectModel,
    MODEL_NOT_FOUND: selectModel,
    MODEL_INVALID: selectModel,
    MODEL_UNSUPPORTED: selectModel,
    // the knobs that shrink memory: LoRA rank, GPU layers, the model itself
    OUT_OF_MEMORY: openSettings("@ext:conpet.conpet-vscode"),
    NOT_WRITABLE: openSettings("conpet.storageLocation"),
    DISK_FULL: openSettings("conpet.storageLocation"),
    // the database file is not ConPET's (or is damaged, or newer): the user moves it aside or points elsewhere
    STORE_INVALID: openSettings("conpet.storageLocation"),
    NOT_TRAINED: {title: "Train", command: commandIds.train},
    // The file was deleted or damaged: training learns the task again from its stored samples.
    MODULE_MISSING: {title: "Train", command: commandIds.train},
    EMPTY_DATA: {title: "Import Examples…", command: commandIds.importExamples},
    TASK_NOT_FOUND: {title: "Create Task…", command: commandIds.createTask},
    TASK_EXISTS: {title: "Open Panel", command: commandIds.openPanel},
    TRAINING_BUSY: {title: "Open Panel", command: commandIds.openPanel},
    // An adapter of another base model: the way out is selecting the model it was trained on.
    ADAPTER_MISMATCH: selectModel
};

/** After a model switch every module belongs to the other base model: one training relearns them all. */
const retrainAll: NextStep = {title: "Retrain All Tasks", command: commandIds.retrainAll};

const duplicateWindowMs = 3000;

/** Problems with the user's input are warnings; the rest are errors. */
const warningCodes = new Set<ErrorCode>(["INVALID_INPUT", "ADAPTER_INVALID", "ADAPTER_MISMATCH", "EMPTY_DATA", "SAMPLE_TOO_LONG", "TASK_EXISTS", "TASK_NOT_FOUND", "NOT_TRAINED", "MODEL_NOT_SELECTED", "TRAINING_BUSY"]);

/**
 * The only place that turns errors into notifications: it logs the error to the "ConPET" output
 * channel first, then shows its message with the next step chosen by its code.
 */
export class ErrorReporter {
    /** @internal The last error shown, for the test hooks. */
    public lastError: ErrorPayload | null = null;

    private _lastShown: {text: string; at: number} | undefined;

    public constructor(private readonly _output: vscode.LogOutputChannel) {}

    public report(err: unknown, context: string): void {
        const payload = errorToPayload(err);
        this.lastError = payload;
        if (payload.code === "CANCELLED") {
            this._output.info(`${context}: cancelled`);
            void vscode.window.showInformationMessage(`ConPET: ${payload.message}`);
            return;
        }
        this._output.error(`${context}: [${payload.code}] ${payload.message}${payload.data === undefined ? "" : " " + JSON.stringify(payload.data)}`);
        if (err instanceof Error && err.stack !== undefined && !(err instanceof ConpetError && warningCodes.has(err.code)))
            this._output.debug(err.stack);

        const steps: NextStep[] = [];
        if (err instanceof UntrustedWorkspaceError)
            steps.push({title: "Manage Workspace Trust", command: "workbench.trust.manage"});
        else {
            const step = isOtherBaseModel(payload) ? retrainAll : nextSteps[payload.code];
            if (step !== undefined)
                steps.push(step);
            if (step !== showLogs)
                steps.push(showLogs);
        }
        // One failure can reach here twice (an engine crash fails the request in flight and fires the
        // crash event): the same text within a moment is logged but shown once.
        const now = Date.now();
        if (this._lastShown !== undefined && this._lastShown.text === payload.message && now - this._lastShown.at < duplicateWindowMs)
            return;
        this._lastShown = {text: payload.message, at: now};
        const show = warningCodes.has(payload.code) ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
        void show(`ConPET: ${payload.message}`, ...steps.map((step) => step.title)).then(async (picked) => {
            const step = steps.find((candidate) => candidate.title === picked);
            if (step !== undefined)
                await vscode.commands.executeCommand(step.command, ...(step.args ?? []));
        });
    }
}

/** `NOT_TRAINED` because the modules were trained on another base model (the core says so in `data.reason`). */
function isOtherBaseModel(payload: ErrorPayload): boolean {
    return payload.code === "NOT_TRAINED" && payload.data?.reason === "other-base-model";
}
