import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {rm} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import type {TrainerDoneEvent, TrainJob} from "../../src/vocabulary/trainerProtocol";
import {resolveTrainerBinaryPath} from "../../src/trainer/resolveTrainerBinaryPath";
import {getTestModelPath} from "../utils/modelFiles";
import {createCodeLangTrainJob, createTempDirectory, loadCodeLangSamples} from "./trainerTestHelpers";

/**
 * The trainer's fast backward pass (native/src/FrozenWeightBackward.cpp) replaces ggml's OUT_PROD through
 * frozen weights with a MUL_MAT over cached transposed copies: the same gradients summed in another order.
 * CONPET_TRAIN_FAST_BACKWARD=0 (read by the trainer process) gives the original path to compare with.
 */
describe("conpet-train fast backward through frozen weights", () => {
    const {samples} = loadCodeLangSamples("train", 32);
    let directory = "";

    const job = (modelPath: string, outputPath: string): TrainJob => createCodeLangTrainJob(samples, outputPath, {modelPath, seed: 5});

    const train = async (trainJob: TrainJob, fastBackward: boolean) => {
        const losses: number[] = [];
        const previous = process.env.CONPET_TRAIN_FAST_BACKWARD;
        process.env.CONPET_TRAIN_FAST_BACKWARD = fastBackward ? "1" : "0";
        try {
            const done: TrainerDoneEvent = await new TrainerClient().train(trainJob, {onEvent: (e) => e.type === "progress" && losses.push(e.loss)});
            return {losses, done};
        } finally {
            if (previous === undefined)
                delete process.env.CONPET_TRAIN_FAST_BACKWARD;
            else
                process.env.CONPET_TRAIN_FAST_BACKWARD = previous;
        }
    };

    // The first steps agree to float precision; then AdamW, which divides by each gradient's running size,
    // amplifies summation-order differences in near-zero components, so later steps may drift by a fraction of a
    // percent (measured up to 0.5% over Q8_0) while following the same curve.
    const assertSameCurve = (actual: number[], expected: number[]) => {
        assert.equal(actual.length, expected.length);
        for (const [index, loss] of actual.entries())
            assert.ok(Math.abs(loss - expected[index]!) <= 0.01 * expected[index]!, `step ${index + 1}: ${actual.join(", ")} against ${expected.join(", ")}`);
        assert.ok(Math.abs(actual[0]! - expected[0]!) <= 1e-5 * expected[0]!, `first step: ${actual[0]} against ${expected[0]}`);
    };

    before(async () => {
        directory = await createTempDirectory();
    });

    after(async () => {
        await rm(directory, {recursive: true, force: true});
    });

    test("over F32 weights it follows the OUT_PROD path's loss curve", async () => {
        const fast = await train(job(getTestModelPath(), path.join(directory, "fast.gguf")), true);
        const slow = await train(job(getTestModelPath(), path.join(directory, "slow.gguf")), false);
        assert.ok(fast.done.fastBackwardWeights! > 0, "the fast path took no weight");
        assert.ok(fast.done.fastBackwardMb! > 0);
        assert.equal(slow.done.fastBackwardWeights, 0);
        assertSameCurve(fast.losses, slow.losses);
        assert.ok(fast.losses.at(-1)! < fast.losses[0]!, `loss did not fall: ${fast.losses.join(", ")}`);
    });

    test("over a Q8_0 base (quantized by conpet-train quantize) it follows the OUT_PROD path and learns", async () => {
        const quantized = path.join(directory, "stories260K-q8_0.gguf");
        execFileSync(resolveTrainerBinaryPath(), ["quantize", "--in", getTestModelPath(), "--out", quantized, "--type", "q8_0", "--threads", "1"], {stdio: "ignore"});
        const fast = await train(job(quantized, path.join(directory, "q8-fast.gguf")), true);
        const slow = await train(job(quantized, path.join(directory, "q8-slow.gguf")), false);
        assert.ok(fast.done.fastBackwardWeights! > 0, "the fast path took no weight");
        assertSameCurve(fast.losses, slow.losses);
        assert.ok(fast.losses.at(-1)! < fast.losses[0]!, `loss did not fall: ${fast.losses.join(", ")}`);
    });
});
