import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import {rm} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import type {TrainerDoneEvent, TrainJob} from "../../src/vocabulary/trainerProtocol";
import {resolveTrainerBinaryPath} from "../../src/trainer/resolveTrainerBinaryPath";
import {getTestModelPath} from "../utils/modelFiles";
import {createCodeLangTrainJob, createTempDirectory, loadCodeLangSamples} from "./trainerTestHelpers";

/**
 * The trainer's fast backward pass (native/src/FrozenWeightCopies.cpp) replaces ggml's OUT_PROD through
 * frozen weights with a MUL_MAT over cached transposed copies: with F32 copies, the same gradients summed in
 * another order; with BF16 copies (the default where the CPU has AVX512-BF16), both passes read BF16 weights.
 * CONPET_TRAIN_FAST_BACKWARD=0 (read by the trainer process) gives the original path to compare with, and
 * CONPET_TRAIN_BF16 picks the copies' type whatever the CPU. The products between activations run on the
 * trainer's own kernel (native/src/ActivationProducts.cpp), CONPET_TRAIN_ACTIVATION_PRODUCTS=0 on ggml's.
 */
/** Whether this CPU has the BF16 dot-product instruction the trainer's BF16 panel kernel needs (Linux, where the tests run). */
const hasAvx512Bf16 = readFileSync("/proc/cpuinfo", "utf8").includes(" avx512_bf16");

describe("conpet-train fast paths: copies of frozen weights, products of activations", () => {
    const {samples} = loadCodeLangSamples("train", 32);
    let directory = "";

    const job = (modelPath: string, outputPath: string): TrainJob => createCodeLangTrainJob(samples, outputPath, {modelPath, seed: 5});

    /** Trains with the trainer's speed-up switches set as given (CONPET_TRAIN_* variables of the trainer process). */
    const train = async (trainJob: TrainJob, switches: {fastBackward: boolean; bf16: boolean; activationProducts?: boolean}) => {
        const losses: number[] = [];
        const env = {
            CONPET_TRAIN_FAST_BACKWARD: switches.fastBackward ? "1" : "0",
            CONPET_TRAIN_BF16: switches.bf16 ? "1" : "0",
            CONPET_TRAIN_ACTIVATION_PRODUCTS: switches.activationProducts === false ? "0" : "1"
        };
        const done: TrainerDoneEvent = await new TrainerClient({env: () => env}).train(trainJob, {onEvent: (e) => e.type === "progress" && losses.push(e.loss)});
        return {losses, done};
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
        const fast = await train(job(getTestModelPath(), path.join(directory, "fast.gguf")), {fastBackward: true, bf16: false});
        const slow = await train(job(getTestModelPath(), path.join(directory, "slow.gguf")), {fastBackward: false, bf16: false});
        assert.ok(fast.done.fastBackwardWeights! > 0, "the fast path took no weight");
        assert.ok(fast.done.fastBackwardMb! > 0);
        assert.equal(fast.done.copyType, "f32");
        assert.equal(fast.done.forwardCopyWeights, 0, "an F32 model's forward pass needs no F32 copy");
        assert.equal(slow.done.fastBackwardWeights, 0);
        assertSameCurve(fast.losses, slow.losses);
        assert.ok(fast.losses.at(-1)! < fast.losses[0]!, `loss did not fall: ${fast.losses.join(", ")}`);
    });

    test("over a Q8_0 base (quantized by conpet-train quantize) it follows the OUT_PROD path and learns", async () => {
        const quantized = path.join(directory, "stories260K-q8_0.gguf");
        execFileSync(resolveTrainerBinaryPath(), ["quantize", "--in", getTestModelPath(), "--out", quantized, "--type", "q8_0", "--threads", "1"], {stdio: "ignore"});
        const fast = await train(job(quantized, path.join(directory, "q8-fast.gguf")), {fastBackward: true, bf16: false});
        const slow = await train(job(quantized, path.join(directory, "q8-slow.gguf")), {fastBackward: false, bf16: false});
        assert.ok(fast.done.fastBackwardWeights! > 0, "the fast path took no weight");
        assertSameCurve(fast.losses, slow.losses);
        assert.ok(fast.losses.at(-1)! < fast.losses[0]!, `loss did not fall: ${fast.losses.join(", ")}`);
    });

    test("with BF16 copies both passes read them, the loss follows the F32 curve to BF16 precision, and it learns", async () => {
        const bf16 = await train(job(getTestModelPath(), path.join(directory, "bf16.gguf")), {fastBackward: true, bf16: true});
        const f32 = await train(job(getTestModelPath(), path.join(directory, "f32.gguf")), {fastBackward: true, bf16: false});
        assert.equal(bf16.done.copyType, "bf16");
        // stored as panels for the trainer's BF16 kernel where the CPU runs it (stories260K: all but the FFN's 172-row matrices)
        assert.equal(bf16.done.panelCopies! > 0, hasAvx512Bf16);
        assert.ok(bf16.done.forwardCopyWeights! > 0, "the forward pass read no BF16 copy");
        assert.equal(bf16.done.fastBackwardWeights, f32.done.fastBackwardWeights);
        // BF16 keeps 8 bits of mantissa: the first loss agrees to a few parts in a thousand, the curve to a few percent
        assert.ok(Math.abs(bf16.losses[0]! - f32.losses[0]!) <= 5e-3 * f32.losses[0]!, `first step: ${bf16.losses[0]} against ${f32.losses[0]}`);
        for (const [index, loss] of bf16.losses.entries())
            assert.ok(Math.abs(loss - f32.losses[index]!) <= 0.05 * f32.losses[index]!, `step ${index + 1}: ${bf16.losses.join(", ")} against ${f32.losses.join(", ")}`);
        assert.ok(bf16.losses.at(-1)! < 0.8 * bf16.losses[0]!, `loss did not fall: ${bf16.losses.join(", ")}`);
    });

    test("the trainer's kernel for products of activations follows ggml's kernels' loss curve", async () => {
        const own = await train(job(getTestModelPath(), path.join(directory, "own.gguf")), {fastBackward: true, bf16: false});
        const ggml = await train(job(getTestModelPath(), path.join(directory, "ggml.gguf")), {fastBackward: true, bf16: false, activationProducts: false});
        assert.ok(own.done.activationProductNodes! > 0, "no product ran on the trainer's kernel");
        assert.equal(ggml.done.activationProductNodes, 0);
        assertSameCurve(own.losses, ggml.losses);
    });

    test("conpet-train check-kernels: the trainer's kernel computes what ggml's does, shape by shape, at 1 and 2 threads", () => {
        const lines = execFileSync(resolveTrainerBinaryPath(), ["check-kernels"], {encoding: "utf8"}).trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
        const cases = lines.filter((line) => line.type === "kernel");
        // 10 shapes of activation products at 1 and 2 threads, and 3 of the BF16 panel product where the CPU has AVX512-BF16
        assert.equal(cases.length, hasAvx512Bf16 ? 26 : 20);
        for (const line of cases)
            assert.ok((line.relativeError as number) <= 1e-5, JSON.stringify(line));
        assert.deepEqual(lines.at(-1), {type: "kernels", cases: cases.length, worstRelativeError: Math.max(...cases.map((line) => line.relativeError as number))});
    });
});
