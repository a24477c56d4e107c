import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import {readdir, rm} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {CancelledError} from "../../src/vocabulary/errors";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import type {TrainJob} from "../../src/vocabulary/trainerProtocol";
import {createCodeLangTrainJob, createSmallTrainJob, createTempDirectory, loadCodeLangSamples} from "./trainerTestHelpers";

describe("conpet-train runs: determinism, cancellation, resuming", () => {
    const {samples} = loadCodeLangSamples("train", 64);
    let directory = "";
    const job = (outputPath: string, overrides: Partial<TrainJob> = {}): TrainJob => createCodeLangTrainJob(samples, outputPath, {seed: 3, ...overrides});
    const runLosses = async (trainJob: TrainJob) => {
        const losses: number[] = [];
        await new TrainerClient().train(trainJob, {onEvent: (e) => e.type === "progress" && losses.push(e.loss)});
        return losses;
    };

    before(async () => {
        directory = await createTempDirectory();
    });

    after(async () => {
        await rm(directory, {recursive: true, force: true});
    });

    test("without a GPU backend it trains on the CPU: quietly for gpuLayers auto, with a warning for a number", async () => {
        // The trainer `npm run build:native` builds links the CPU ggml only (a CUDA build is checked on a GPU machine).
        const runBackend = async (gpuLayers: TrainJob["gpuLayers"]) => {
            const warnings: string[] = [];
            let backend = "";
            await new TrainerClient().train(createSmallTrainJob(path.join(directory, "gpu.gguf"), {gpuLayers}), {
                onEvent(event) {
                    if (event.type === "started")
                        backend = event.backend;
                    else if (event.type === "warning")
                        warnings.push(event.message);
                }
            });
            return {backend, warnings};
        };
        assert.deepEqual(await runBackend("auto"), {backend: "cpu", warnings: []});
        assert.deepEqual(await runBackend(2), {backend: "cpu", warnings: ["No GPU backend is available: training on the CPU."]});
    });

    test("the same seed gives the same loss curve; another seed another", async () => {
        const first = await runLosses(job(path.join(directory, "a.gguf")));
        const second = await runLosses(job(path.join(directory, "b.gguf")));
        const other = await runLosses(job(path.join(directory, "c.gguf"), {seed: 4}));
        assert.equal(first.length, 12);
        assert.deepEqual(second, first);
        assert.notDeepEqual(other, first);
    });

    test("SIGTERM stops the run and leaves nothing at the output path", async () => {
        const folder = path.join(directory, "cancel");
        await import("node:fs/promises").then((fs) => fs.mkdir(folder));
        const outputPath = path.join(folder, "cancelled.gguf");
        const controller = new AbortController();
        let steps = 0;
        await assert.rejects(new TrainerClient().train(job(outputPath, {steps: 100000}), {
            signal: controller.signal,
            onEvent(event) {
                if (event.type === "progress" && ++steps === 3)
                    controller.abort();
            }
        }), (err) => err instanceof CancelledError);
        assert.ok(steps >= 3);
        assert.equal(existsSync(outputPath), false);
        assert.deepEqual(await readdir(folder), []);
    });

    test("a second run resumes from the first run's adapter", async () => {
        const firstPath = path.join(directory, "first.gguf");
        const first = await runLosses(job(firstPath, {steps: 40}));
        const resumed = await runLosses(job(path.join(directory, "resumed.gguf"), {steps: 5, initAdapterPath: firstPath, seed: 11}));
        const fresh = await runLosses(job(path.join(directory, "fresh.gguf"), {steps: 5, seed: 11}));
        const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
        // the resumed run starts where the first ended, far below a fresh start on the same batches
        assert.ok(resumed[0]! < fresh[0]! * 0.8, `resumed ${resumed[0]} vs fresh ${fresh[0]}`);
        assert.ok(Math.abs(mean(resumed) - mean(first.slice(-5))) < 0.35 * mean(first.slice(-5)), `resumed ${mean(resumed)} vs end of first ${mean(first.slice(-5))}`);
    });
});
