import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {estimateTrainingSeconds, getMeanSampleChars, getTrainingThroughput} from "../../../src/core/Conpet/estimateTrainingSeconds";

const model = "/models/a.gguf";

function run(startSecond: number, seconds: number, details: Record<string, unknown>, status: "succeeded" | "failed" | "cancelled" = "succeeded") {
    const start = Date.UTC(2026, 0, 1) + startSecond * 1000;
    return {status, startedAt: new Date(start).toISOString(), finishedAt: new Date(start + seconds * 1000).toISOString(), details: {modelPath: model, ...details}};
}

describe("getTrainingThroughput", () => {
    test("characters of training rows per wall-clock second over the recorded runs", () => {
        // 200 steps × 8 rows × 50 characters in 40 s, and 40 × 8 × 100 in 8 s: (80,000 + 32,000) / 48 s.
        const throughput = getTrainingThroughput([
            run(0, 40, {steps: 200, batchSize: 8, meanSampleChars: 50}),
            run(100, 8, {steps: 40, batchSize: 8, meanSampleChars: 100})
        ], model);
        assert.deepEqual(throughput, {charactersPerSecond: 112_000 / 48, runs: 2});
    });

    test("only succeeded runs on the same model that recorded their size count", () => {
        const runs = [
            run(0, 10, {steps: 100, batchSize: 8, meanSampleChars: 10}),
            run(10, 99, {steps: 100, batchSize: 8, meanSampleChars: 10}, "cancelled"),
            run(20, 99, {steps: 100, batchSize: 8, meanSampleChars: 10}, "failed"),
            run(30, 99, {steps: 100, batchSize: 8, meanSampleChars: 10, modelPath: "/models/other.gguf"}),
            run(40, 99, {steps: 100, batchSize: 8}),
            {...run(50, 99, {steps: 100, batchSize: 8, meanSampleChars: 10}), finishedAt: null}
        ];
        assert.deepEqual(getTrainingThroughput(runs, model), {charactersPerSecond: 800, runs: 1});
        assert.equal(getTrainingThroughput(runs.slice(1), model), null);
        assert.equal(getTrainingThroughput([], model), null);
    });

    test("the newest five runs set the rate, whatever order they come in", () => {
        const old = Array.from({length: 5}, (_, i) => run(i, 100, {steps: 100, batchSize: 10, meanSampleChars: 10}));
        const recent = Array.from({length: 5}, (_, i) => run(1000 + i, 10, {steps: 100, batchSize: 10, meanSampleChars: 10}));
        assert.deepEqual(getTrainingThroughput([...old, ...recent].reverse(), model), {charactersPerSecond: 1000, runs: 5});
    });
});

describe("estimateTrainingSeconds", () => {
    test("a planned run's rows' characters over the rate: 40 × 8 × 25 characters at 1,000/s is 8 s", () => {
        const throughput = {charactersPerSecond: 1000, runs: 1};
        assert.equal(estimateTrainingSeconds([{steps: 40, batchSize: 8, meanSampleChars: 25}], throughput), 8);
        assert.equal(estimateTrainingSeconds([{steps: 40, batchSize: 8, meanSampleChars: 25}, {steps: 200, batchSize: 8, meanSampleChars: 50}], throughput), 88);
        assert.equal(estimateTrainingSeconds([], throughput), 0);
    });

    test("mean sample characters count the prompt and the completion", () => {
        assert.equal(getMeanSampleChars([{prompt: "abcd", completion: "ef"}, {prompt: "a", completion: "b"}]), 4);
        assert.equal(getMeanSampleChars([]), 0);
    });
});
