import {writeFile} from "node:fs/promises";
import {formatBenchmarkReport} from "../../core/Benchmark/formatBenchmarkReport";
import {createBenchmarkStoreDirectory, runBenchmark} from "../../core/Benchmark/runBenchmark";
import type {BenchmarkMode} from "../../core/Benchmark/types";
import {defaultConpetSettings as defaults, type LabelScoring} from "../../core/settings/conpetSettingsSchema";
import type {CliCommand} from "../CliCommand";
import {UsageError} from "../UsageError";
import {getIntegerOption, getStringOption} from "../utils/optionValues";
import {withModelServices} from "../utils/withModelServices";

export type BenchCommand = {
    suiteDirectory: string;
    modelPath: string;
    mode: BenchmarkMode;
    reportPath: string;
    seed?: number;
    storeDirectory?: string;
    selectorKind?: "embedding" | "lora";
    stepsPerTask?: number;
    epochsPerTask?: number;
    learningRate?: number;
    batchSize?: number;
    rank?: number;
    targetModules?: string[];
    replayRatio?: number;
    balancedReplay?: boolean;
    topK?: number;
    labelScoring?: LabelScoring;
    maxTest?: number;
    maxTrain?: number;
    threads?: number;
    maxInputChars?: number;
    contextSize?: number;
};

const modes: readonly BenchmarkMode[] = ["dynamic", "static", "sequential", "joint", "classic"];

export const BenchCommand: CliCommand<BenchCommand> = {
    command: ["bench"],
    description: "Run a suite as a continual sequence (tasks in order; after each, every seen task's test set), write the JSON report and print the accuracy matrix.",
    options: {
        suite: {type: "string", valueName: "DIR", description: "Suite folder (suite.json, <task>/task.json, train.jsonl, test.jsonl). Required."},
        model: {type: "string", short: "m", valueName: "FILE", description: "The base model (.gguf). Required."},
        mode: {type: "string", valueName: "MODE", description: "dynamic, static, sequential, joint, or classic (TF-IDF logistic regression, no language model; classification suites). Required."},
        report: {type: "string", valueName: "FILE.json", description: "Where the JSON report goes. Required."},
        seed: {type: "string", valueName: "N", description: `Seed for sampling, replay and training. Defaults to ${defaults.seed}.`},
        store: {type: "string", valueName: "DIR", description: "Store folder for the run. The folder of a run that stopped early (same suite, mode and settings) resumes after its last finished task. Defaults to a fresh temporary folder."},
        selector: {type: "string", valueName: "KIND", description: `Dynamic: embedding or lora. Defaults to ${defaults.selectorKind}.`},
        steps: {type: "string", valueName: "N", description: `Most optimizer steps per task. Defaults to ${defaults.stepsPerTask}.`},
        epochs: {type: "string", valueName: "X", description: `Passes over a small task's samples when that is fewer steps than --steps; 0 always trains --steps. Defaults to ${defaults.epochsPerTask}.`},
        lr: {type: "string", valueName: "X", description: `Learning rate. Defaults to ${defaults.learningRate}.`},
        batch: {type: "string", valueName: "N", description: `Samples per step. Defaults to ${defaults.batchSize}.`},
        rank: {type: "string", valueName: "N", description: `LoRA rank. Defaults to ${defaults.lora.rank}.`},
        targets: {type: "string", valueName: "LIST", description: `Projections with adapters, comma-separated from q,k,v,o,gate,up,down. Defaults to ${defaults.lora.targetModules.join(",")}.`},
        "replay-ratio": {type: "string", valueName: "X", description: `Share of each batch replayed from earlier tasks (static, LoRA selector), 0 to 0.9; the least share unless --fixed-replay. Defaults to ${defaults.replayRatio}.`},
        "fixed-replay": {type: "boolean", description: "Static and the LoRA selector: replay exactly --replay-ratio of each batch instead of raising it to n/(n+1) after n tasks."},
        "top-k": {type: "string", valueName: "N", description: `Modules each input is routed to. Defaults to ${defaults.topK}.`},
        "label-scoring": {type: "string", valueName: "HOW", description: `sum or mean log-probability of label tokens. Defaults to ${defaults.labelScoring}.`},
        "max-test": {type: "string", valueName: "N", description: "Evaluate on a seeded subset of at most N test samples per task. Defaults to all."},
        "max-train": {type: "string", valueName: "N", description: "Train on a seeded subset of at most N training samples per task (small tasks on the same suites). Defaults to all."},
        threads: {type: "string", valueName: "N", description: `CPU threads for training and inference; 0 picks automatically. Defaults to ${defaults.threads}.`},
        "max-input-chars": {type: "string", valueName: "N", description: `Inputs are clipped to N characters. Defaults to ${defaults.maxInputChars}.`},
        "context-size": {type: "string", valueName: "N", description: `Longest training sequence in tokens. Defaults to ${defaults.contextSize}.`}
    },
    parse(values) {
        const suiteDirectory = getStringOption(values, "suite");
        const modelPath = getStringOption(values, "model");
        const mode = getStringOption(values, "mode");
        const reportPath = getStringOption(values, "report");
        if (suiteDirectory === undefined || modelPath === undefined || mode === undefined || reportPath === undefined)
            throw new UsageError("--suite DIR, --model FILE, --mode MODE and --report FILE.json are required.");
        if (!(modes as readonly string[]).includes(mode))
            throw new UsageError(`--mode must be one of ${modes.join(", ")}, not ${JSON.stringify(mode)}.`);
        const selectorKind = getStringOption(values, "selector");
        if (selectorKind !== undefined && selectorKind !== "embedding" && selectorKind !== "lora")
            throw new UsageError(`--selector must be "embedding" or "lora", not ${JSON.stringify(selectorKind)}.`);
        const labelScoring = getStringOption(values, "label-scoring");
        if (labelScoring !== undefined && labelScoring !== "sum" && labelScoring !== "mean")
            throw new UsageError(`--label-scoring must be "sum" or "mean", not ${JSON.stringify(labelScoring)}.`);
        const replay = getStringOption(values, "replay-ratio");
        const replayRatio = replay === undefined ? undefined : Number(replay);
        if (replayRatio !== undefined && !(replayRatio >= 0 && replayRatio <= 0.9))
            throw new UsageError(`--replay-ratio must be a number from 0 to 0.9, not ${JSON.stringify(replay)}.`);
        const epochs = getStringOption(values, "epochs");
        const epochsPerTask = epochs === undefined ? undefined : Number(epochs);
        if (epochsPerTask !== undefined && !(epochsPerTask >= 0))
            throw new UsageError(`--epochs must be a number of at least 0, not ${JSON.stringify(epochs)}.`);
        const lr = getStringOption(values, "lr");
        const learningRate = lr === undefined ? undefined : Number(lr);
        if (learningRate !== undefined && !(learningRate > 0))
            throw new UsageError(`--lr must be a positive number, not ${JSON.stringify(lr)}.`);
        return {
            suiteDirectory, modelPath, mode: mode as BenchmarkMode, reportPath,
            seed: getIntegerOption(values, "seed", {min: 0}),
            storeDirectory: getStringOption(values, "store"),
            selectorKind, labelScoring, learningRate, replayRatio, epochsPerTask,
            balancedReplay: values["fixed-replay"] === true ? false : undefined,
            targetModules: getStringOption(values, "targets")?.split(",").map((name) => name.trim()),
            stepsPerTask: getIntegerOption(values, "steps", {min: 1}),
            batchSize: getIntegerOption(values, "batch", {min: 1}),
            rank: getIntegerOption(values, "rank", {min: 1, max: 256}),
            topK: getIntegerOption(values, "top-k", {min: 1, max: 8}),
            maxTest: getIntegerOption(values, "max-test", {min: 1}),
            maxTrain: getIntegerOption(values, "max-train", {min: 1}),
            threads: getIntegerOption(values, "threads", {min: 0}),
            maxInputChars: getIntegerOption(values, "max-input-chars", {min: 16}),
            contextSize: getIntegerOption(values, "context-size", {min: 16})
        };
    },
    async run(args, context) {
        const directory = await createBenchmarkStoreDirectory(args.storeDirectory);
        context.log(`store ${directory}`);
        const report = await withModelServices(context, args.modelPath, ({store, engine, trainer}) => runBenchmark({
            suiteDirectory: args.suiteDirectory,
            modelPath: args.modelPath,
            store, engine, trainer,
            settings: {
                mode: args.mode,
                seed: args.seed,
                selectorKind: args.selectorKind,
                stepsPerTask: args.stepsPerTask,
                epochsPerTask: args.epochsPerTask,
                learningRate: args.learningRate,
                batchSize: args.batchSize,
                lora: {
                    ...(args.rank === undefined ? {} : {rank: args.rank, alpha: 2 * args.rank}),
                    ...(args.targetModules === undefined ? {} : {targetModules: args.targetModules})
                },
                replayRatio: args.replayRatio,
                balancedReplay: args.balancedReplay,
                topK: args.topK,
                labelScoring: args.labelScoring,
                threads: args.threads,
                maxInputChars: args.maxInputChars,
                contextSize: args.contextSize
            },
            maxTestSamplesPerTask: args.maxTest,
            maxTrainSamplesPerTask: args.maxTrain,
            signal: context.signal,
            onLog: context.log
        }), directory);
        await writeFile(args.reportPath, `${JSON.stringify(report, null, 2)}\n`);
        context.print(context.json ? JSON.stringify(report) : `${formatBenchmarkReport(report)}\n\nreport: ${args.reportPath}`);
    }
};
