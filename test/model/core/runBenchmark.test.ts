import assert from "node:assert/strict";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {runBenchmark, type BenchmarkReport} from "../../../src/core/Benchmark/runBenchmark";
import {isAccuracyMatrix} from "../../../src/core/metrics";
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
