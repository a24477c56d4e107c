import * as vscode from "vscode";
import {defaultEvaluationSamplesPerTask} from "../../core/Conpet/types";
import {ConpetError} from "../../core/errors";
import {commandIds} from "../constants";
import type {TrainProgress} from "../training/TrainingState";
import type {CommandDeps} from "./CommandDeps";
import {formatDuration} from "../utils/formatDuration";
import {getPlainArgs, registerConpetCommand} from "./utils/registerConpetCommand";
import {requireTrust} from "./utils/requireTrust";

/**
 * `ConPET: Train`: learns whatever is new or changed, in a cancellable progress notification with
 * the task, step, loss and ETA. `ConPET: Cancel Training` (and the notification's Cancel button)
 * abort it through an `AbortSignal`; modules that finished before the cancel are kept.
 */
export function registerTrainCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.train, async (rawArgs) => {
        getPlainArgs(rawArgs);
        requireTrust("Training");
        if (deps.training.isRunning) {
            void vscode.window.showInformationMessage("ConPET: a training is already running.", "Open Panel").then((picked) => {
                if (picked !== undefined)
                    void vscode.commands.executeCommand(commandIds.openPanel);
            });
            return undefined;
        }
        const conpet = await deps.services.getConpet();
        const store = await deps.services.getStore();
        if ((await store.listTasks()).length === 0)
            throw new ConpetError("EMPTY_DATA", "There is nothing to train: create a task and add samples first.");

        const signal = deps.training.start();
        const started = Date.now();
        deps.output.info("Training started");
        try {
            const result = await vscode.window.withProgress(
                {location: vscode.ProgressLocation.Notification, title: "ConPET: Training", cancellable: true},
                async (progress, token) => {
                    const subscription = token.onCancellationRequested(() => deps.training.cancel());
                    let reported = 0;
                    try {
                        const trained = await conpet.train({
                            signal,
                            evaluate: {samplesPerTask: defaultEvaluationSamplesPerTask},
                            // The panel's heatmap gains each row as soon as it is measured.
                            onEvaluation: () => deps.services.notifyDataChanged(),
                            onProgress: (update: TrainProgress) => {
                                deps.training.report(update);
                                progress.report({increment: Math.max(0, update.fraction * 100 - reported), message: formatProgress(update)});
                                reported = Math.max(reported, update.fraction * 100);
                            }
                        });
                        // The modules are saved by then: a failed measurement only leaves the matrix without the later rows.
                        if (trained.evaluationError !== undefined)
                            deps.output.warn(`Measuring accuracy after training failed: ${trained.evaluationError.message}`);
                        return {...trained, evaluation: trained.evaluations.at(-1) ?? null};
                    } finally {
                        subscription.dispose();
                    }
                }
            );
            const seconds = (Date.now() - started) / 1000;
            deps.output.info(`Training finished in ${seconds.toFixed(1)} s: ${JSON.stringify(result)}`);
            const learned = result.learned.map((item) => item.task);
            const summary = learned.length === 0
                ? "everything was already trained"
                : `learned ${learned.map((name) => `"${name}"`).join(", ")}`;
            void vscode.window.showInformationMessage(`ConPET: training finished in ${formatDuration(seconds)}: ${summary}.`, "Open Panel").then((picked) => {
                if (picked !== undefined)
                    void vscode.commands.executeCommand(commandIds.openPanel);
            });
            return result;
        } finally {
            deps.training.finish();
            deps.services.notifyDataChanged();
            void deps.services.refreshModelInfo();
        }
    });

    registerConpetCommand(deps, commandIds.cancelTraining, () => {
        const cancelled = deps.training.cancel();
        if (cancelled)
            deps.output.info("Training cancellation requested");
        return cancelled;
    });
}

/** "log-level (1/2) · step 40/200 · loss 1.234 · ETA 0:32", or "… · measuring accuracy 20/50 · …" */
export function formatProgress(update: TrainProgress): string {
    const parts: string[] = [];
    if (update.task !== undefined)
        parts.push(`${update.task} (${update.taskIndex + 1}/${update.taskCount})`);
    else
        parts.push(update.phase);
    if (update.totalSteps > 0)
        parts.push(`${update.phase === "evaluate" ? "measuring accuracy" : "step"} ${update.step}/${update.totalSteps}`);
    if (update.loss !== undefined && Number.isFinite(update.loss))
        parts.push(`loss ${update.loss.toFixed(3)}`);
    if (update.etaSeconds !== undefined && Number.isFinite(update.etaSeconds))
        parts.push(`ETA ${formatDuration(update.etaSeconds)}`);
    return parts.join(" · ");
}
