/**
 * The continual-learning benchmark: a suite's tasks arrive in order; after each is learned, every
 * seen task's test set is answered task-agnostically and scored. Produces the report other tools
 * read (field names are a contract: see the issue and README). Each finished task is checkpointed
 * in the store folder, so a run given the same store resumes after its last finished task.
 */
import {mkdir, mkdtemp} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {ConpetEngine} from "../Conpet/Conpet";
import type {ConpetSettingsInput} from "../settings/conpetSettingsSchema";
import {resolveConpetSettings} from "../settings/resolveConpetSettings";
import type {CoreStore, CoreTrainer} from "../dependencyTypes";
import {getAverageAccuracy, getCharacterSimilarity, getForgetting, getSelectorAccuracy, getWholeAccuracy, isExactMatch} from "../evaluation/metrics";
import {measureTaskAccuracy} from "../evaluation/measureTaskAccuracy";
import {readSuite} from "../importExport/readSuite";
import {getExpectedCalibrationError} from "../Selector/getExpectedCalibrationError";
import {ClassicBaselineStrategy} from "../strategies/ClassicBaselineStrategy";
import {createRandom} from "../../vocabulary/createRandom";
import {createStrategy} from "../strategies/createStrategy";
import type {ConpetStrategy, StrategyContext} from "../strategies/types";
import type {Task} from "../../vocabulary/types";
import {readBenchmarkCheckpoint, writeBenchmarkCheckpoint, type BenchmarkStep} from "./benchmarkCheckpoint";
import type {BenchmarkMode, BenchmarkReport} from "./types";

export type RunBenchmarkOptions = {
    suiteDirectory: string;
    modelPath: string;
    store: CoreStore & {
        createTask(task: {name: string; instruction: string; kind: Task["kind"]; labels?: string[]}): Promise<Task>;
        addSamples(taskId: number, samples: {input: string; output: string; split?: "train" | "test"}[], options?: {cap?: number; seed?: number}): Promise<unknown>;
    };
    engine: ConpetEngine;
    trainer: CoreTrainer;
    settings: Omit<ConpetSettingsInput, "mode"> & {mode?: BenchmarkMode};
    /** Test samples per task (a seeded uniform subset) to keep evaluation affordable. Defaults to all. */
    maxTestSamplesPerTask?: number;
    /** Train samples per task (a seeded uniform subset), to measure small tasks on the same suites. Defaults to all. */
    maxTrainSamplesPerTask?: number;
    signal?: AbortSignal;
    onLog?(message: string): void;
};

/** A fresh temporary store folder for a benchmark run without `--store`. */
export async function createBenchmarkStoreDirectory(directory?: string): Promise<string> {
    if (directory !== undefined) {
        await mkdir(directory, {recursive: true});
        return directory;
    }
    return mkdtemp(path.join(os.tmpdir(), "conpet-bench-"));
}

export async function runBenchmark(options: RunBenchmarkOptions): Promise<BenchmarkReport> {
    const {store, engine, trainer, signal, onLog} = options;
    const mode: BenchmarkMode = options.settings.mode ?? "dynamic";
    const settings = resolveConpetSettings({...options.settings, mode: mode === "classic" ? undefined : mode, modelPath: options.modelPath});
    const suite = await readSuite(options.suiteDirectory);
    const random = createRandom(settings.seed);
    // Its own generator, so the test subsets stay those of a run on the full training sets.
    const trainRandom = createRandom(settings.seed);
    const {modelPath: _modelPath, ...reportedSettings} = settings;
    const checkpointKey = JSON.stringify({suite: suite.name, mode, settings: reportedSettings, maxTest: options.maxTestSamplesPerTask ?? null,
        // Only when given, so the stores of runs on full training sets keep resuming.
        ...(options.maxTrainSamplesPerTask === undefined ? {} : {maxTrain: options.maxTrainSamplesPerTask})});
    const steps = await readBenchmarkCheckpoint(store.directory, checkpointKey);
    if (steps.length > 0)
        onLog?.(`resuming after ${steps.length} finished task${steps.length === 1 ? "" : "s"} (${steps.map((s) => s.task).join(", ")})`);

    const tasks: Task[] = [];
    const tests: {input: string; output: string}[][] = [];
    const trainCounts: number[] = [];
    for (const {task: definition, samples} of suite.tasks) {
        const max = options.maxTestSamplesPerTask;
        const test = max !== undefined && samples.test.length > max ? random.shuffle(samples.test).slice(0, max) : samples.test;
        const maxTrain = options.maxTrainSamplesPerTask;
        const train = maxTrain !== undefined && samples.train.length > maxTrain ? trainRandom.shuffle(samples.train).slice(0, maxTrain) : samples.train;
        // A resumed run finds its tasks and samples in the store already.
        const task = steps.length > 0 ? await store.getTask(definition.name) : await store.createTask(definition);
        if (steps.length === 0) {
            await store.addSamples(task.id, train.map((s) => ({...s, split: "train" as const})), {cap: settings.maxSamplesPerTask, seed: settings.seed});
            await store.addSamples(task.id, test.map((s) => ({...s, split: "test" as const})));
        }
        tasks.push(task);
        tests.push(test);
        trainCounts.push(Math.min(train.length, settings.maxSamplesPerTask));
    }

    const modelInfo = await engine.load({modelPath: settings.modelPath, gpuLayers: settings.gpuLayers, threads: settings.threads}, {signal});
    const context: StrategyContext = {store, engine, trainer, settings, modelPath: settings.modelPath, modelFingerprint: modelInfo.fingerprint, cpuThreads: modelInfo.threads, embeddingCache: new Map(), onLog};
    const modelStrategy: ConpetStrategy | undefined = mode === "classic" ? undefined : createStrategy(context);
    const classic = modelStrategy === undefined ? new ClassicBaselineStrategy({store, seed: settings.seed}) : undefined;
    const strategy = modelStrategy ?? classic!;
    const routes = mode === "dynamic" || mode === "classic";
    // The classic baseline keeps its classifiers in memory: relearning the finished tasks takes seconds.
    for (const task of tasks.slice(0, steps.length))
        await classic?.learnTask(task);

    for (const [t, task] of tasks.entries()) {
        if (t < steps.length)
            continue;
        onLog?.(`[${t + 1}/${tasks.length}] learning ${task.name}`);
        const learned = await strategy.learnTask(task, {
            signal,
            onProgress: (p) => {
                if (p.step === p.totalSteps || p.step % 50 === 0)
                    onLog?.(`  ${p.phase} ${p.task ?? ""} step ${p.step}/${p.totalSteps} loss ${p.loss?.toFixed(4) ?? "?"}`);
            }
        });

        const evalStarted = performance.now();
        const step: BenchmarkStep = {task: task.name, learned, accuracy: [], similarity: [], routing: routes ? [] : null, oracle: null, counts: [], routes: [], evalSeconds: 0};
        for (let j = 0; j <= t; j++) {
            const test = tests[j]!;
            const {predictions, correct, routes: taskRoutes} = await measureTaskAccuracy(strategy, tasks[j]!.id, test, signal);
            step.accuracy.push(test.length === 0 ? 0 : correct / test.length);
            step.similarity.push(tasks[j]!.kind === "generate" && test.length > 0
                ? predictions.reduce((sum, p, i) => sum + getCharacterSimilarity(p.output.trim(), test[i]!.output.trim()), 0) / test.length
                : null);
            step.counts.push({correct, total: test.length});
            if (routes) {
                step.routing!.push(getSelectorAccuracy(taskRoutes) ?? 0);
                step.routes.push(...taskRoutes);
            }
        }
        // Only Dynamic has a module per task to ask with the task known.
        if (mode === "dynamic" && modelStrategy !== undefined) {
            const test = tests[t]!;
            const predictions = await modelStrategy.predictForTask(task, test.map((s) => s.input), {signal});
            step.oracle = test.length === 0 ? 0 : predictions.filter((p, i) => isExactMatch(p.output, test[i]!.output)).length / test.length;
        }
        step.evalSeconds = (performance.now() - evalStarted) / 1000;
        steps.push(step);
        await writeBenchmarkCheckpoint(store.directory, checkpointKey, steps);
        onLog?.(`  accuracy after ${task.name}: ${step.accuracy.map((a) => a.toFixed(3)).join(" ")} (${learned.trainSeconds.toFixed(1)} s train, ${learned.selectorSeconds.toFixed(2)} s selector)`);
    }

    const info = await engine.info({}).catch(() => null);
    const peakRssMb = Math.max(modelInfo.rssBytes / 2 ** 20, ...steps.map((s) => s.learned.peakRssMb), (info?.rssBytes ?? 0) / 2 ** 20, process.resourceUsage().maxRSS / 1024);
    const modules = await store.listModules();
    const matrix = steps.map((s) => s.accuracy);
    const similarityMatrix = steps.map((s) => s.similarity);
    const last = steps.at(-1);
    const lastRoutes = last?.routes ?? [];
    const oracles = steps.map((s) => s.oracle).filter((o): o is number => o !== null);
    const oracleMatrix = oracles.length === 0 ? null : oracles.map((_, t) => oracles.slice(0, t + 1));
    const report: BenchmarkReport = {
        suite: suite.name,
        model: path.basename(settings.modelPath),
        mode,
        selector: mode === "dynamic" ? settings.selectorKind : null,
        seed: settings.seed,
        tasks: tasks.map((t) => t.name),
        accuracy_matrix: matrix,
        similarity_matrix: similarityMatrix,
        average_similarity: getAverageSimilarity(similarityMatrix.at(-1) ?? []),
        average_accuracy: getAverageAccuracy(matrix),
        whole_accuracy: getWholeAccuracy(last?.counts ?? []),
        forgetting: getForgetting(matrix),
        selector_accuracy: routes ? getSelectorAccuracy(lastRoutes) : null,
        selector_accuracy_matrix: routes ? steps.map((s) => s.routing ?? []) : null,
        selector_calibration_error: routes ? getExpectedCalibrationError(lastRoutes.map((r) => ({confidence: r.probability, correct: r.routedTaskId === r.expectedTaskId}))) : null,
        oracle_accuracy_matrix: oracleMatrix,
        oracle_average_accuracy: oracleMatrix === null ? null : getAverageAccuracy(oracleMatrix),
        train_seconds_per_task: steps.map((s) => s.learned.trainSeconds + s.learned.selectorSeconds),
        selector_seconds_per_task: steps.map((s) => s.learned.selectorSeconds),
        train_tokens_per_task: steps.map((s) => s.learned.tokens),
        train_tokens_per_second: steps.reduce((sum, s) => sum + s.learned.tokensPerSecond, 0) / Math.max(1, steps.length),
        trainable_parameters: last?.learned.trainableParameters ?? 0,
        trainable_parameters_total: modules.reduce((sum, m) => sum + m.trainableParameters, 0),
        model_parameters: Math.max(modelInfo.parameters, ...steps.map((s) => s.learned.modelParameters)),
        peak_rss_mb: Math.round(peakRssMb * 10) / 10,
        train_samples_per_task: trainCounts,
        test_samples_per_task: tests.map((t) => t.length),
        eval_seconds: steps.reduce((sum, s) => sum + s.evalSeconds, 0),
        settings: {...reportedSettings, mode},
        created_at: new Date().toISOString()
    };
    await store.addEvaluation({
        mode: report.mode,
        tasks: report.tasks,
        accuracyMatrix: report.accuracy_matrix,
        selectorAccuracy: report.selector_accuracy,
        details: {suite: report.suite, average_accuracy: report.average_accuracy, whole_accuracy: report.whole_accuracy, forgetting: report.forgetting, train_seconds_per_task: report.train_seconds_per_task}
    });
    return report;
}

function getAverageSimilarity(row: readonly (number | null)[]): number | null {
    const values = row.filter((v): v is number => v !== null);
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}
