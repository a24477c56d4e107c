/**
 * The continual-learning benchmark: a suite's tasks arrive in order; after each is learned, every
 * seen task's test set is answered task-agnostically and scored. Produces the report other tools
 * read (field names are a contract: see the issue and README).
 */
import {mkdir, mkdtemp} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {ConpetEngine} from "../Conpet/Conpet";
import {resolveConpetSettings, type ConpetMode, type ConpetSettingsInput} from "../Conpet/resolveConpetSettings";
import type {CoreStore, CoreTrainer} from "../dependencyTypes";
import {getAverageAccuracy, getCharacterSimilarity, getForgetting, getSelectorAccuracy, getWholeAccuracy, isExactMatch} from "../metrics";
import {measureTaskAccuracy} from "../measureTaskAccuracy";
import {getExpectedCalibrationError} from "../Selector/getExpectedCalibrationError";
import {ClassicBaselineStrategy} from "../strategies/ClassicBaselineStrategy";
import {createRandom} from "../utils/createRandom";
import {createStrategy} from "../strategies/createStrategy";
import type {ConpetStrategy, StrategyContext} from "../strategies/types";
import type {Task} from "../types";
import {loadSuite} from "./loadSuite";

/** The strategies of `ConpetMode`, plus `classic`: a TF-IDF logistic regression over every seen task's samples, no language model. */
export type BenchmarkMode = ConpetMode | "classic";

export type BenchmarkReport = {
    suite: string;
    model: string;
    mode: BenchmarkMode;
    /** Dynamic only: `embedding` or `lora`; null otherwise. */
    selector: string | null;
    seed: number;
    tasks: string[];
    accuracy_matrix: number[][];
    /**
     * Generate-kind tasks: mean character similarity of answer and expected output (1 − edit
     * distance / longer length), the partial credit exact match does not show; null for classify tasks.
     */
    similarity_matrix: (number | null)[][];
    /** Mean of the last row's non-null similarities; null when the suite has no generate task. */
    average_similarity: number | null;
    average_accuracy: number;
    whole_accuracy: number;
    forgetting: number;
    selector_accuracy: number | null;
    /**
     * Routing accuracy on task j's test set after learning task t (dynamic: the selector; classic:
     * the classic router); null for modes that do not route.
     */
    selector_accuracy_matrix: number[][] | null;
    /** Expected calibration error of the top route's probability over the last row's test inputs; null without routing. */
    selector_calibration_error: number | null;
    /**
     * Dynamic: accuracy of task j's own module answering its test set with the task known (the
     * `predictForTask` path), the most routing could give. Modules are frozen once learned, so each
     * task's is measured once, after it is learned, and repeated in later rows. Null otherwise.
     */
    oracle_accuracy_matrix: number[][] | null;
    /** Mean of the oracle matrix's last row; null without one. */
    oracle_average_accuracy: number | null;
    /** Seconds to learn each task (its LoRA run, plus the selector's retraining in dynamic mode). */
    train_seconds_per_task: number[];
    /** Of which the selector's retraining (dynamic); zeros otherwise. */
    selector_seconds_per_task: number[];
    /** Tokens the trainer processed for each task's LoRA run: the load-independent measure of cost. */
    train_tokens_per_task: number[];
    train_tokens_per_second: number;
    /** Trainable parameters of one LoRA module. */
    trainable_parameters: number;
    /** Dynamic: all task modules plus the selector; otherwise the one shared module. */
    trainable_parameters_total: number;
    model_parameters: number;
    peak_rss_mb: number;
    test_samples_per_task: number[];
    eval_seconds: number;
    settings: Record<string, unknown>;
    created_at: string;
};

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
    const suite = await loadSuite(options.suiteDirectory);
    const random = createRandom(settings.seed);

    const tasks: Task[] = [];
    const tests: {input: string; output: string}[][] = [];
    for (const suiteTask of suite.tasks) {
        const task = await store.createTask({name: suiteTask.name, instruction: suiteTask.instruction, kind: suiteTask.kind, labels: suiteTask.labels});
        await store.addSamples(task.id, suiteTask.train.map((s) => ({...s, split: "train" as const})), {cap: settings.maxSamplesPerTask, seed: settings.seed});
        const max = options.maxTestSamplesPerTask;
        const test = max !== undefined && suiteTask.test.length > max ? random.shuffle(suiteTask.test).slice(0, max) : suiteTask.test;
        await store.addSamples(task.id, test.map((s) => ({...s, split: "test" as const})));
        tasks.push(task);
        tests.push(test);
    }

    const modelInfo = await engine.load({modelPath: settings.modelPath, gpuLayers: settings.gpuLayers, threads: settings.threads}, {signal});
    const context: StrategyContext = {store, engine, trainer, settings, modelPath: settings.modelPath, modelFingerprint: modelInfo.fingerprint, cpuThreads: modelInfo.threads, embeddingCache: new Map(), onLog};
    const modelStrategy: ConpetStrategy | undefined = mode === "classic" ? undefined : createStrategy(context);
    const strategy = modelStrategy ?? new ClassicBaselineStrategy({store, seed: settings.seed});
    const routes = mode === "dynamic" || mode === "classic";

    const matrix: number[][] = [];
    const similarityMatrix: (number | null)[][] = [];
    const routingMatrix: number[][] = [];
    const oracleAccuracy: number[] = [];
    const trainSeconds: number[] = [];
    const selectorSeconds: number[] = [];
    const tokensPerSecond: number[] = [];
    const tokensPerTask: number[] = [];
    let trainableParameters = 0;
    let modelParameters = modelInfo.parameters;
    let peakRssMb = modelInfo.rssBytes / 2 ** 20;
    let evalSeconds = 0;
    let lastRow: {correct: number; total: number}[] = [];
    let lastRoutes: {expectedTaskId: number; routedTaskId: number | null; probability: number}[] = [];

    for (const [t, task] of tasks.entries()) {
        onLog?.(`[${t + 1}/${tasks.length}] learning ${task.name}`);
        const learned = await strategy.learnTask(task, {
            signal,
            onProgress: (p) => {
                if (p.step === p.totalSteps || p.step % 50 === 0)
                    onLog?.(`  ${p.phase} ${p.task ?? ""} step ${p.step}/${p.totalSteps} loss ${p.loss?.toFixed(4) ?? "?"}`);
            }
        });
        trainSeconds.push(learned.trainSeconds + learned.selectorSeconds);
        selectorSeconds.push(learned.selectorSeconds);
        tokensPerSecond.push(learned.tokensPerSecond);
        tokensPerTask.push(learned.tokens);
        trainableParameters = learned.trainableParameters;
        modelParameters = learned.modelParameters || modelParameters;
        peakRssMb = Math.max(peakRssMb, learned.peakRssMb);

        const evalStarted = performance.now();
        const row: number[] = [];
        const similarityRow: (number | null)[] = [];
        const routingRow: number[] = [];
        lastRow = [];
        lastRoutes = [];
        for (let j = 0; j <= t; j++) {
            const test = tests[j]!;
            const {predictions, correct, routes: taskRoutes} = await measureTaskAccuracy(strategy, tasks[j]!.id, test, signal);
            row.push(test.length === 0 ? 0 : correct / test.length);
            similarityRow.push(tasks[j]!.kind === "generate" && test.length > 0
                ? predictions.reduce((sum, p, i) => sum + getCharacterSimilarity(p.output.trim(), test[i]!.output.trim()), 0) / test.length
                : null);
            lastRow.push({correct, total: test.length});
            if (routes) {
                routingRow.push(getSelectorAccuracy(taskRoutes) ?? 0);
                lastRoutes.push(...taskRoutes);
            }
        }
        // Only Dynamic has a module per task to ask with the task known.
        if (mode === "dynamic" && modelStrategy !== undefined) {
            const test = tests[t]!;
            const predictions = await modelStrategy.predictForTask(task, test.map((s) => s.input), {signal});
            oracleAccuracy.push(test.length === 0 ? 0 : predictions.filter((p, i) => isExactMatch(p.output, test[i]!.output)).length / test.length);
        }
        evalSeconds += (performance.now() - evalStarted) / 1000;
        matrix.push(row);
        similarityMatrix.push(similarityRow);
        if (routes)
            routingMatrix.push(routingRow);
        onLog?.(`  accuracy after ${task.name}: ${row.map((a) => a.toFixed(3)).join(" ")} (${learned.trainSeconds.toFixed(1)} s train, ${learned.selectorSeconds.toFixed(2)} s selector)`);
    }

    const info = await engine.info({}).catch(() => null);
    peakRssMb = Math.max(peakRssMb, (info?.rssBytes ?? 0) / 2 ** 20, process.resourceUsage().maxRSS / 1024);
    const modules = await store.listModules();
    const {modelPath: _modelPath, ...reportedSettings} = settings;
    const oracleMatrix = oracleAccuracy.length === 0 ? null : oracleAccuracy.map((_, t) => oracleAccuracy.slice(0, t + 1));
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
        whole_accuracy: getWholeAccuracy(lastRow),
        forgetting: getForgetting(matrix),
        selector_accuracy: routes ? getSelectorAccuracy(lastRoutes) : null,
        selector_accuracy_matrix: routes ? routingMatrix : null,
        selector_calibration_error: routes ? getExpectedCalibrationError(lastRoutes.map((r) => ({confidence: r.probability, correct: r.routedTaskId === r.expectedTaskId}))) : null,
        oracle_accuracy_matrix: oracleMatrix,
        oracle_average_accuracy: oracleMatrix === null ? null : getAverageAccuracy(oracleMatrix),
        train_seconds_per_task: trainSeconds,
        selector_seconds_per_task: selectorSeconds,
        train_tokens_per_task: tokensPerTask,
        train_tokens_per_second: tokensPerSecond.reduce((a, b) => a + b, 0) / Math.max(1, tokensPerSecond.length),
        trainable_parameters: trainableParameters,
        trainable_parameters_total: modules.reduce((sum, m) => sum + m.trainableParameters, 0),
        model_parameters: modelParameters,
        peak_rss_mb: Math.round(peakRssMb * 10) / 10,
        test_samples_per_task: tests.map((t) => t.length),
        eval_seconds: evalSeconds,
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

/** The readable summary `conpet bench` prints: the matrix and the headline numbers. */
export function formatBenchmarkReport(report: BenchmarkReport): string {
    const pct = (v: number) => (v * 100).toFixed(1).padStart(6);
    const width = Math.max(...report.tasks.map((t) => t.length), 8);
    const lines = [
        `suite ${report.suite}, model ${report.model}, mode ${report.mode}${report.selector === null ? "" : ` (selector ${report.selector})`}, seed ${report.seed}`,
        "",
        `accuracy (%) after learning ↓ on ${report.tasks.map((t) => t.slice(0, 8).padStart(8)).join(" ")}`
    ];
    report.accuracy_matrix.forEach((row, t) => {
        lines.push(`${report.tasks[t]!.padEnd(width)}${" ".repeat(Math.max(0, 24 - width))} ${row.map((v) => `  ${pct(v)}`).join(" ")}`);
    });
    lines.push(
        "",
        `average accuracy   ${pct(report.average_accuracy)} %`,
        `whole accuracy     ${pct(report.whole_accuracy)} %`,
        `forgetting         ${pct(report.forgetting)} pts`,
        ...(report.average_similarity === null ? [] : [`char. similarity   ${pct(report.average_similarity)} %  (generate tasks, last row)`]),
        `oracle avg. acc.   ${report.oracle_average_accuracy === null ? "     -" : pct(report.oracle_average_accuracy)} %  (each task's own module, task known)`,
        `selector accuracy  ${report.selector_accuracy === null ? "     -" : pct(report.selector_accuracy)} %`,
        `selector ECE       ${report.selector_calibration_error === null ? "     -" : pct(report.selector_calibration_error)} pts`,
        `train s per task   ${report.train_seconds_per_task.map((s) => s.toFixed(1)).join(", ")}`,
        `train tokens/s     ${report.train_tokens_per_second.toFixed(0)}`,
        `trainable params   ${report.trainable_parameters} per module (${report.trainable_parameters_total} in all) of ${report.model_parameters}`,
        `peak RSS           ${report.peak_rss_mb} MB`
    );
    return lines.join("\n");
}
