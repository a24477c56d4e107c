import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {mkdir, readdir, rm} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {getLlama, type Llama, type LlamaModel} from "node-llama-cpp";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import {resolveTrainerBinaryPath} from "../../src/trainer/resolveTrainerBinaryPath";
import type {TrainerDoneEvent, TrainerEvent} from "../../src/vocabulary/trainerProtocol";
import {getTestModelPath} from "../utils/modelFiles";
import {createCodeLangTrainJob, createTempDirectory, loadCodeLangSamples, scoreBaseAndAdapter} from "./trainerTestHelpers";

/**
 * A GPU backend back-propagates only through F32 weights, so the trainer trains a quantized base there over an F32
 * copy it writes beside the output (native/src/DequantizedBase.cpp) and the adapter is then used with the quantized
 * model. CONPET_TRAIN_DEQUANTIZE_BASE=1 takes the same path on the CPU: what a machine without a GPU can check.
 */
describe("conpet-train over the F32 copy of a quantized base", () => {
    const train = loadCodeLangSamples("train", 320);
    const heldOut = loadCodeLangSamples("test", 48);
    let directory = "";
    let quantizedPath = "";
    let adapterPath = "";
    let done: TrainerDoneEvent;
    const events: TrainerEvent[] = [];
    let llama: Llama;
    let model: LlamaModel;

    before(async () => {
        directory = await createTempDirectory();
        quantizedPath = path.join(directory, "stories260K-q8_0.gguf");
        execFileSync(resolveTrainerBinaryPath(), ["quantize", "--in", getTestModelPath(), "--out", quantizedPath, "--type", "q8_0", "--threads", "1"], {stdio: "ignore"});
        adapterPath = path.join(directory, "modules", "langs-1.gguf");
        await mkdir(path.dirname(adapterPath));
        const job = createCodeLangTrainJob(train.samples, adapterPath, {
            modelPath: quantizedPath,
            evalSamples: heldOut.samples.map(({prompt, completion}) => ({prompt, completion})),
            lora: {rank: 8, alpha: 16, targetModules: ["q", "k", "v", "o"]},
            steps: 120,
            batchSize: 8,
            evalEvery: 60
        });
        done = await new TrainerClient({env: () => ({CONPET_TRAIN_DEQUANTIZE_BASE: "1"})}).train(job, {onEvent: (event) => events.push(event)});
        llama = await getLlama({gpu: false});
        model = await llama.loadModel({modelPath: quantizedPath});
    });

    after(async () => {
        await model?.dispose();
        await llama?.dispose();
        await rm(directory, {recursive: true, force: true});
    });

    test("it trains over the copy, learns, and leaves only the adapter beside it", async () => {
        assert.equal(done.dequantizedBase, true);
        const evals = events.filter((e) => e.type === "eval");
        assert.ok(evals.at(-1)!.loss < evals[0]!.loss * 0.7, `held-out loss ${evals[0]!.loss} -> ${evals.at(-1)!.loss}`);
        assert.deepEqual(await readdir(path.dirname(adapterPath)), ["langs-1.gguf"]);
    });

    test("the adapter, used with the quantized model, classifies held-out inputs far better than that model alone", async (t) => {
        const {baseAccuracy, adaptedAccuracy} = await scoreBaseAndAdapter(model, adapterPath, heldOut);
        t.diagnostic(`held-out label accuracy on the Q8_0 model: base ${baseAccuracy.toFixed(3)}, adapter trained over its F32 copy ${adaptedAccuracy.toFixed(3)}`);
        assert.ok(adaptedAccuracy >= baseAccuracy + 0.2, `adapter accuracy ${adaptedAccuracy} vs base ${baseAccuracy}`);
    });
});
