import assert from "node:assert/strict";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {runBenchmark} from "../../../src/core/Benchmark/runBenchmark";
import type {BenchmarkReport} from "../../../src/core/Benchmark/types";
import {ConpetError} from "../../../src/vocabulary/errors";
import {isAccuracyMatrix} from "../../../src/core/evaluation/metrics";
import {testDataDirectory} from "../../utils/modelFiles";
import {createCoreFixture, smallSettings, type CoreFixture} from "./coreTestFixture";

describe("runBenchmark on stories260K (text-transform, a few steps per task)", () => {
    let fixture: CoreFixture;
    let report: BenchmarkReport;

    before(async () => {
        fixture = await createCoreFixture();
        report = await runBenchmark({
            suiteDirectory: path.join(testDataDirectory, "text-transform"),
            modelPath: fixture.modelPath,
            store: fixture.store, engine: fixture.engine, trainer: fixture.trainer,
            settings: {...smallSettings, stepsPerTask: 3, mode: "dynamic"},
            maxTestSamplesPerTask: 3
        });
    });
    after(async () => fixture?.dispose());

    test("the report has the contract's fields, one entry per task in arrival order", () => {
        assert.deepEqual(report.tasks, ["snake-to-camel", "camel-to-snake", "to-constant", "reverse-words"]);
        assert.ok(isAccuracyMatrix(report.accuracy_matrix));
        assert.equal(report.accuracy_matrix.length, 4);
        const last = report.accuracy_matrix.at(-1)!;
        assert.equal(report.average_accuracy, last.reduce((a, b) => a + b, 0) / last.length);
        assert.deepEqual(report.test_samples_per_task, [3, 3, 3, 3]);
        assert.equal(report.train_seconds_per_task.length, 4);
        assert.ok(report.train_tokens_per_task.every((tokens) => tokens > 0));
        assert.ok(report.selector_accuracy !== null && report.selector_accuracy >= 0 && report.selector_accuracy <= 1);
        assert.ok(report.trainable_parameters > 0 && report.trainable_parameters < report.model_parameters);
    });

    test("Dynamic reports where answers are lost: the oracle (task known) and routing after each task", () => {
        assert.deepEqual(report.oracle_accuracy_matrix?.map((row) => row.length), [1, 2, 3, 4]);
        assert.ok(isAccuracyMatrix(report.oracle_accuracy_matrix));
        // Modules are frozen once learned: a task's oracle accuracy is the same in every later row.
        report.oracle_accuracy_matrix!.forEach((row, t) => assert.deepEqual(row, report.oracle_accuracy_matrix!.at(-1)!.slice(0, t + 1)));
        assert.ok(isAccuracyMatrix(report.selector_accuracy_matrix));
        const lastRouting = report.selector_accuracy_matrix!.at(-1)!;
        // Equal test sets per task, so overall routing accuracy is the mean of the last row.
        assert.ok(Math.abs(report.selector_accuracy! - lastRouting.reduce((a, b) => a + b, 0) / lastRouting.length) < 1e-12);
        assert.ok(report.selector_calibration_error !== null && report.selector_calibration_error >= 0 && report.selector_calibration_error <= 1);
    });

    test("generate tasks get a character similarity per cell, averaged over the last row", () => {
        assert.deepEqual(report.similarity_matrix.map((row) => row.length), [1, 2, 3, 4]);
        const last = report.similarity_matrix.at(-1)!;
        assert.ok(last.every((value) => value !== null && value >= 0 && value <= 1));
        const mean = (last as number[]).reduce((a, b) => a + b, 0) / last.length;
        assert.ok(Math.abs(report.average_similarity! - mean) < 1e-12);
    });

    test("the run is stored as an evaluation with the same matrix", async () => {
        const stored = (await fixture.store.listEvaluations()).at(-1)!;
        assert.deepEqual(stored.tasks, report.tasks);
        assert.deepEqual(stored.accuracyMatrix, report.accuracy_matrix);
    });
});

describe("runBenchmark --mode classic (no language model training)", () => {
    let fixture: CoreFixture;
    before(async () => {
        fixture = await createCoreFixture();
    });
    after(async () => fixture?.dispose());

    const runClassic = (suite: string) => runBenchmark({
        suiteDirectory: path.join(testDataDirectory, suite),
        modelPath: fixture.modelPath,
        store: fixture.store, engine: fixture.engine, trainer: fixture.trainer,
        settings: {...smallSettings, mode: "classic"},
        maxTestSamplesPerTask: 30
    });

    test("on code-lang the TF-IDF classifier answers and routes far above chance, with no module trained", async () => {
        const report = await runClassic("code-lang");
        assert.equal(report.mode, "classic");
        assert.ok(isAccuracyMatrix(report.accuracy_matrix));
        // 16 languages (chance 6%); the classic baseline is the floor the product must clear.
        assert.ok(report.whole_accuracy > 0.8, `whole accuracy ${report.whole_accuracy}`);
        assert.ok(report.selector_accuracy! > 0.8, `router accuracy ${report.selector_accuracy}`);
        assert.equal(report.oracle_accuracy_matrix, null);
        assert.deepEqual(report.train_tokens_per_task, [0, 0, 0, 0]);
        assert.deepEqual(await fixture.store.listModules(), []);
    });

    test("a suite with generate tasks is refused with a clear message", async () => {
        await assert.rejects(runClassic("text-transform"), /classification tasks only; "snake-to-camel" is a generate task/);
    });
});

describe("runBenchmark resumes after its last finished task", () => {
    let fixture: CoreFixture;
    before(async () => {
        fixture = await createCoreFixture();
    });
    after(async () => fixture?.dispose());

    test("a run stopped during the second task, run again on the same store, trains only the tasks it had not finished", async () => {
        const run = (signal?: AbortSignal, onLog?: (message: string) => void) => runBenchmark({
            suiteDirectory: path.join(testDataDirectory, "text-transform"),
            modelPath: fixture.modelPath,
            store: fixture.store, engine: fixture.engine, trainer: fixture.trainer,
            settings: {...smallSettings, stepsPerTask: 3, mode: "dynamic"},
            maxTestSamplesPerTask: 2,
            // A seeded subset of each task's training set (small tasks on the shared suites); the resumed run keeps it.
            maxTrainSamplesPerTask: 20,
            signal, onLog
        });
        const controller = new AbortController();
        await assert.rejects(run(controller.signal, (message) => {
            if (message.includes("accuracy after snake-to-camel"))
                controller.abort();
        }), (err) => ConpetError.is(err, "CANCELLED"));
        const firstModules = await fixture.store.listModules();
        assert.deepEqual(firstModules.filter((m) => m.kind === "task-lora").length, 1);

        const logs: string[] = [];
        const report = await run(undefined, (message) => logs.push(message));
        assert.ok(logs.includes("resuming after 1 finished task (snake-to-camel)"), logs.join("\n"));
        assert.ok(!logs.some((message) => message.includes("learning snake-to-camel")));
        assert.deepEqual(report.accuracy_matrix.map((row) => row.length), [1, 2, 3, 4]);
        assert.deepEqual(report.train_samples_per_task, [20, 20, 20, 20]);
        for (const task of await fixture.store.listTasks())
            assert.equal(await fixture.store.countSamples({taskId: task.id, split: "train"}), 20, `${task.name} stores the subset only`);
        const succeeded = (await fixture.store.listRuns({limit: 100})).filter((r) => r.status === "succeeded");
        assert.equal(succeeded.length, 4, "each task trained once: the first run's module was kept");
        const snakeModule = firstModules.find((m) => m.kind === "task-lora")!;
        assert.ok((await fixture.store.listModules()).some((m) => m.id === snakeModule.id));
    });
});
