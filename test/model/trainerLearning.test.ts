import assert from "node:assert/strict";
import {rm} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {getLlama, readGgufFileInfo, type Llama, type LlamaModel} from "node-llama-cpp";
import type {TrainerDoneEvent, TrainerEvent} from "../../src/vocabulary/trainerProtocol";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import {getTestModelPath} from "../utils/modelFiles";
import {createTempDirectory, loadCodeLangSamples, scoreBaseAndAdapter} from "./trainerTestHelpers";

describe("conpet-train learns a classification task (code-lang langs-1, stories260K)", () => {
    const modelPath = getTestModelPath();
    const train = loadCodeLangSamples("train", 480);
    const heldOut = loadCodeLangSamples("test", 48);
    let directory = "";
    let adapterPath = "";
    let done: TrainerDoneEvent;
    const events: TrainerEvent[] = [];
    let llama: Llama;
    let model: LlamaModel;

    before(async () => {
        directory = await createTempDirectory();
        adapterPath = path.join(directory, "langs-1.gguf");
        done = await new TrainerClient().train({
            modelPath,
            outputPath: adapterPath,
            samples: train.samples.map(({prompt, completion}) => ({prompt, completion})),
            evalSamples: heldOut.samples.map(({prompt, completion}) => ({prompt, completion})),
            lora: {rank: 8, alpha: 16, targetModules: ["q", "k", "v", "o", "gate", "up", "down"]},
            steps: 200,
            batchSize: 8,
            learningRate: 2e-3,
            lrSchedule: "cosine",
            warmupSteps: 10,
            evalEvery: 50,
            contextSize: 256,
            threads: 1,
            gpuLayers: 0,
            seed: 7
        }, {onEvent: (event) => events.push(event)});
        llama = await getLlama({gpu: false});
        model = await llama.loadModel({modelPath});
    });

    after(async () => {
        await model?.dispose();
        await llama?.dispose();
        await rm(directory, {recursive: true, force: true});
    });

    test("the training loss and the held-out loss go down", (t) => {
        const losses = events.filter((e) => e.type === "progress").map((e) => e.loss);
        assert.equal(losses.length, 200);
        const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
        const first = mean(losses.slice(0, 10));
        const last = mean(losses.slice(-10));
        assert.ok(last < first * 0.6, `training loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
        const evals = events.filter((e) => e.type === "eval");
        t.diagnostic(`training loss ${first.toFixed(3)} -> ${last.toFixed(3)}; held-out loss ${evals.map((e) => e.loss.toFixed(3)).join(" -> ")}`);
        assert.deepEqual(evals.map((e) => e.step), [0, 50, 100, 150, 200]);
        assert.ok(evals.at(-1)!.loss < evals[0]!.loss * 0.7, `held-out loss ${evals[0]!.loss} -> ${evals.at(-1)!.loss}`);
        assert.equal(done.steps, 200);
        assert.ok(done.trainableParameters > 0 && done.trainableParameters < done.modelParameters);
    });

    test("the adapter, loaded by node-llama-cpp, classifies held-out inputs far better than the base model", async (t) => {
        const {baseAccuracy, adaptedAccuracy} = await scoreBaseAndAdapter(model, adapterPath, heldOut);
        const chance = 1 / heldOut.labels.length;
        t.diagnostic(`held-out label accuracy: base ${baseAccuracy.toFixed(3)}, adapter ${adaptedAccuracy.toFixed(3)}, chance ${chance}`);
        assert.ok(adaptedAccuracy >= chance + 0.2, `adapter accuracy ${adaptedAccuracy} vs chance ${chance}`);
        assert.ok(adaptedAccuracy >= baseAccuracy + 0.2, `adapter accuracy ${adaptedAccuracy} vs base ${baseAccuracy}`);
    });

    test("the adapter file has the GGUF keys and tensor names llama.cpp expects", async () => {
        const info = await readGgufFileInfo(adapterPath, {readTensorInfo: true});
        const metadata = info.metadata as unknown as {general: {type: string; architecture: string}; adapter: {type: string; lora: {alpha: number}}};
        assert.equal(metadata.general.type, "adapter");
        assert.equal(metadata.general.architecture, "llama");
        assert.equal(metadata.adapter.type, "lora");
        assert.equal(metadata.adapter.lora.alpha, 16);
        const tensors = new Map((info.tensorInfo ?? []).map((t) => [t.name, t.dimensions.map(Number)]));
        // stories260K: 5 layers, n_embd 64, 4 KV heads of 8 dims (n_embd_kv 32), n_ff 172
        assert.equal(tensors.size, 5 * 7 * 2);
        assert.deepEqual(tensors.get("blk.0.attn_q.weight.lora_a"), [64, 8]);
        assert.deepEqual(tensors.get("blk.0.attn_q.weight.lora_b"), [8, 64]);
        assert.deepEqual(tensors.get("blk.4.attn_k.weight.lora_b"), [8, 32]);
        assert.deepEqual(tensors.get("blk.2.ffn_down.weight.lora_a")?.[1], 8);
        assert.ok(tensors.has("blk.3.attn_output.weight.lora_a"));
    });
});
