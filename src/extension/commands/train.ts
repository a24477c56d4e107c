import * as vscode from "vscode";
import {defaultEvaluationSamplesPerTask, type ConpetTrainingPlan} from "../../core/Conpet/types";
import {ConpetError} from "../../vocabulary/errors";
import {commandIds} from "../constants";
import type {TaskSummary} from "../tasks/TasksModel";
import type {TrainingEstimate, TrainingPlan} from "../training/TrainingEstimator";
import type {TrainProgress} from "../training/TrainingState";
import {formatTimeLeft, formatTrainingProgress} from "../utils/formatTrainingProgress";
import type {CommandDeps} from "./CommandDeps";
import {formatDuration} from "../utils/formatDuration";
import {registerConpetCommand} from "./registerConpetCommand";
import {requireTrust} from "../trust/requireTrust";

/**
 * `ConPET: Train`: learns whatever is new or changed, in a cancellable progress notification with
 * the task, step, loss and ETA. `ConPET: Retrain All Tasks for This Model` runs the same training
 * over every task with samples (after a model switch: one module per task for the new base model,
 * from the stored samples). `ConPET: Cancel Training` (and the notification's Cancel button)
 * abort it through an `AbortSignal`; modules that finished before the cancel are kept.
 */
export function registerTrainCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.train, () => runTraining(deps, false));
    registerConpetCommand(deps, commandIds.retrainAll, () => runTraining(deps, true));

    registerConpetCommand(deps, commandIds.cancelTraining, () => {
        const cancelled = deps.training.cancel();
        if (cancelled)
            deps.output.info("Training cancellation requested");
        return cancelled;
    });
}

/**
 * Train (`all` false: what is new or changed) and Retrain All (`all`: every task with samples), also
 * `@conpet /train`'s. `undefined` when a training already runs (the user is told so).
 */
export async function runTraining(deps: CommandDeps, all: boolean): Promise<{learned: {task: string}[]; estimateAtStart: TrainingEstimate | null; seconds: number} | undefined> {
    requireTrust("Training");
    if (deps.training.isRunning) {
        void vscode.window.showInformationMessage("ConPET: a training is already running.", "Open Panel").then((picked) => {
            if (picked !== undefined)
                void vscode.commands.executeCommand(commandIds.openPanel);
        });
        return undefined;
    }
    // Claimed before the first await: a second click while the engine starts finds it running.
    const signal = deps.training.start();
    const started = Date.now();
    try {
        const conpet = await deps.services.getConpet();
        const tasks = await deps.tasksModel.getTasks();
        if (tasks.length === 0)
            throw new ConpetError("EMPTY_DATA", "There is nothing to train: create a task and add samples first.");
        // A task without training samples has nothing to learn: say so instead of counting it as pending.
        const empty = tasks.filter((summary) => summary.trainSamples === 0).map((summary) => summary.task.name);
        if (empty.length === tasks.length)
            throw new ConpetError("EMPTY_DATA", `There is nothing to train: ${quoteNames(empty)} ${empty.length === 1 ? "has" : "have"} no training samples yet. Add examples first (select text, then "Add Selection to Task…", or import them).`);
        // Before the first step is timed, the notification and the panel show what earlier runs on this model suggest.
        const plan = await conpet.planTraining({all});
        deps.training.setPlan(getTrainingPlan(tasks, plan, deps.services.getSettings(), all), plan.seconds);
        const estimateAtStart = deps.training.estimate ?? null;
        deps.output.info(`Training started: ${plan.tasks.map((t) => `${t.task} ${t.steps} steps`).join(", ")}; ${formatTimeLeft(deps.training.estimate)}`);
        const result = await vscode.window.withProgress(
            {location: vscode.ProgressLocation.Notification, title: all ? "ConPET: Retraining every task" : "ConPET: Training", cancellable: true},
            async (progress, token) => {
                const subscription = token.onCancellationRequested(() => deps.training.cancel());
                progress.report({message: formatTimeLeft(deps.training.estimate)});
                let reported = 0;
                try {
                    const trained = await conpet.train({
                        signal,
                        all,
                        evaluate: {samplesPerTask: defaultEvaluationSamplesPerTask},
                        // The panel's heatmap gains each row as soon as it is measured.
                        onEvaluation: () => deps.services.notifyDataChanged(),
                        onProgress: (update: TrainProgress) => {
                            deps.training.report(update);
                            progress.report({increment: Math.max(0, update.fraction * 100 - reported), message: formatTrainingProgress(update, deps.training.estimate)});
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
        const summary = (learned.length === 0 ? "everything was already trained" : `learned ${quoteNames(learned)}`)
            + (empty.length === 0 ? "" : `; ${quoteNames(empty)} ${empty.length === 1 ? "has" : "have"} no training samples yet`);
        void vscode.window.showInformationMessage(`ConPET: training finished in ${formatDuration(seconds)}: ${summary}.`, "Open Panel").then((picked) => {
            if (picked !== undefined)
                void vscode.commands.executeCommand(commandIds.openPanel);
        });
        // What the notification said when it opened, with what it took (the command's result, for tests and scripts).
        return {...result, estimateAtStart, seconds};
    } finally {
        deps.training.finish();
        deps.services.notifyDataChanged();
        void deps.services.refreshModelInfo();
    }
}

/**
 * Dynamic ConPET measures every learned task after each one: the samples measured after each pending
 * task, and each one's steps as the core plans them.
 */
function getTrainingPlan(tasks: readonly TaskSummary[], corePlan: ConpetTrainingPlan, settings: {stepsPerTask: number; mode: string; selectorKind: string}, all: boolean): TrainingPlan {
    const measured = (summary: TaskSummary) => Math.min(defaultEvaluationSamplesPerTask, summary.testSamples > 0 ? summary.testSamples : summary.trainSamples);
    const isPending = (summary: TaskSummary) => summary.trainSamples > 0 && (all || summary.state !== "ready");
    let learned = tasks.filter((summary) => summary.state === "ready" && !isPending(summary)).reduce((sum, summary) => sum + measured(summary), 0);
    const pending = tasks.filter(isPending);
    return {
        taskSteps: pending.map((summary) => corePlan.tasks.find((task) => task.taskId === summary.task.id)?.steps ?? settings.stepsPerTask),
        measuredSamples: pending.map((summary) => learned += measured(summary)),
        // The embedding selector trains in moments, inside its task's report; the LoRA one is a training run of its own.
        selectorPerTask: settings.mode === "dynamic" && settings.selectorKind === "lora"
    };
}

function quoteNames(names: readonly string[]): string {
    return names.map((name) => `"${name}"`).join(", ");
}
