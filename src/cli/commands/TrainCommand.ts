import {Conpet} from "../../core/Conpet/Conpet";
import {defaultEvaluationSamplesPerTask} from "../../core/Conpet/types";
import {defaultConpetSettings as defaults} from "../../core/settings/conpetSettingsSchema";
import type {Evaluation} from "../../vocabulary/types";
import type {CliCommand} from "../CliCommand";
import {UsageError} from "../UsageError";
import {getIntegerOption, getStringOption} from "../utils/optionValues";
import {getModelAndModeOptions, withModelServices} from "../utils/withModelServices";

export type TrainCommand = {
    modelPath: string;
    mode?: "dynamic" | "static";
    selectorKind?: "embedding" | "lora";
    stepsPerTask?: number;
    threads?: number;
    /** `--evaluate` / `--eval-samples N`: held-out samples measured per task after each task. */
    evaluate?: {samplesPerTask: number};
    /** `--all`: relearn every task with samples for this base model. */
    all: boolean;
};

export const TrainCommand: CliCommand<TrainCommand> = {
    command: ["train"],
    description: "Learn whatever is new or changed in the store: a module per new or changed task (dynamic) and the selector, or the shared LoRA (static).",
    options: {
        model: {type: "string", short: "m", valueName: "FILE", description: "The base model (.gguf). Required."},
        mode: {type: "string", valueName: "MODE", description: `dynamic or static. Defaults to ${defaults.mode}.`},
        selector: {type: "string", valueName: "KIND", description: `embedding or lora. Defaults to ${defaults.selectorKind}.`},
        steps: {type: "string", valueName: "N", description: `Most optimizer steps per task (a small task takes fewer, see conpet.training.epochsPerTask). Defaults to ${defaults.stepsPerTask}.`},
        threads: {type: "string", valueName: "N", description: `CPU threads; 0 picks automatically. Defaults to ${defaults.threads}.`},
        evaluate: {type: "boolean", description: "After each learned task, measure every learned task's held-out accuracy, store the accuracy matrix and print its new row. Defaults to off."},
        "eval-samples": {type: "string", valueName: "N", description: "Held-out samples measured per task; implies --evaluate. Defaults to 50."},
        all: {type: "boolean", description: "Relearn every task with samples from its stored samples, learned or not (e.g. after switching to another base model). Defaults to off: only new or changed tasks."}
    },
    parse(values) {
        const {modelPath, mode} = getModelAndModeOptions(values);
        const selectorKind = getStringOption(values, "selector");
        if (selectorKind !== undefined && selectorKind !== "embedding" && selectorKind !== "lora")
            throw new UsageError(`--selector must be "embedding" or "lora", not ${JSON.stringify(selectorKind)}.`);
        const evalSamples = getIntegerOption(values, "eval-samples", {min: 1});
        const evaluate = evalSamples !== undefined || values.evaluate === true ? {samplesPerTask: evalSamples ?? defaultEvaluationSamplesPerTask} : undefined;
        return {modelPath, mode, selectorKind, stepsPerTask: getIntegerOption(values, "steps", {min: 1}), threads: getIntegerOption(values, "threads", {min: 0}), evaluate, all: values.all === true};
    },
    async run(args, context) {
        const result = await withModelServices(context, args.modelPath, async ({store, engine, trainer}) => {
            const conpet = await Conpet.create({
                store, engine, trainer,
                settings: {modelPath: args.modelPath, mode: args.mode, selectorKind: args.selectorKind, stepsPerTask: args.stepsPerTask, threads: args.threads},
                ownerLabel: "conpet train",
                onLog: context.log
            });
            try {
                const plan = await conpet.planTraining({all: args.all});
                if (plan.tasks.length > 0)
                    context.log(`To learn: ${plan.tasks.map((t) => `${t.task} (${t.steps} steps)`).join(", ")}; ${plan.seconds === null ? "no earlier run to estimate the time from" : `about ${Math.max(1, Math.round(plan.seconds))} s of training at the last runs' speed`}.`);
                return await conpet.train({
                    signal: context.signal,
                    evaluate: args.evaluate,
                    all: args.all,
                    onEvaluation(evaluation) {
                        if (!context.json)
                            context.print(formatEvaluationRow(evaluation));
                    },
                    onProgress(p) {
                        if (p.step === p.totalSteps || p.step % 25 === 0)
                            context.log(`[${p.taskIndex + 1}/${p.taskCount}] ${p.phase} ${p.task ?? ""} step ${p.step}/${p.totalSteps}${p.loss === undefined ? "" : ` loss ${p.loss.toFixed(4)}`}`);
                    }
                });
            } finally {
                conpet.dispose();
            }
        });
        if (result.skipped.length > 0)
            context.log(`Skipped ${result.skipped.map((name) => JSON.stringify(name)).join(", ")}: deleted while the training ran.`);
        if (result.evaluationError !== undefined)
            context.log(`Measuring accuracy failed, so the later tasks have no row: ${result.evaluationError.message}`);
        if (context.json)
            context.print(JSON.stringify(result));
        else if (result.learned.length === 0)
            context.print(result.selectorRetrained ? "Retrained the selector; every task was already learned." : "Nothing to learn: every task with samples is up to date.");
        else
            for (const learned of result.learned)
                context.print(`Learned ${JSON.stringify(learned.task)} in ${learned.trainSeconds.toFixed(1)} s (+${learned.selectorSeconds.toFixed(2)} s selector), final loss ${learned.finalLoss?.toFixed(4) ?? "?"}, ${learned.trainableParameters} trainable parameters.`);
    }
};

/** `accuracy after "b" (row 2): a 80.0%, b 65.0%; selector 97.5%` */
function formatEvaluationRow(evaluation: Evaluation): string {
    const row = evaluation.accuracyMatrix.at(-1) ?? [];
    const cells = row.map((accuracy, j) => `${evaluation.tasks[j]} ${(accuracy * 100).toFixed(1)}%`);
    const selector = evaluation.selectorAccuracy === null ? "" : `; selector ${(evaluation.selectorAccuracy * 100).toFixed(1)}%`;
    return `accuracy after ${JSON.stringify(evaluation.tasks.at(-1))} (row ${row.length}): ${cells.join(", ")}${selector}`;
}
