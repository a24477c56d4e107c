import assert from "node:assert/strict";
import {readFile, rm} from "node:fs/promises";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {getLlama, readGgufFileInfo, type Llama, type LlamaModel} from "node-llama-cpp";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import type {TrainJob} from "../../src/vocabulary/trainerProtocol";
import {getTestModelPath} from "../utils/modelFiles";
import {createTempDirectory, getCompletionLogProbs, getNextTokenLogProbs, loadCodeLangSamples, tokenizeSample} from "./trainerTestHelpers";

describe("conpet-train: untrained adapters and prompt masking", () => {
    const modelPath = getTestModelPath();
    const {samples} = loadCodeLangSamples("train", 12);
    let directory = "";
    let llama: Llama;
    let model: LlamaModel;
    const baseJob = (outputPath: string): TrainJob => ({
        modelPath,
        outputPath,
        samples: samples.map(({prompt, completion}) => ({prompt, completion})),
        lora: {rank: 4, alpha: 8, targetModules: ["q", "v"]},
        steps: 0,
        batchSize: samples.length,
        learningRate: 1e-3,
        lrSchedule: "cosine",
        seed: 42,
        contextSize: 256,
        threads: 1,
        gpuLayers: 0
    });

    before(async () => {
        directory = await createTempDirectory();
        llama = await getLlama({gpu: false});
        model = await llama.loadModel({modelPath});
    });

    after(async () => {
        await model?.dispose();
        await llama?.dispose();
        await rm(directory, {recursive: true, force: true});
    });

    test("an untrained adapter (B = 0) leaves the output identical to the base model", async () => {
        const adapterPath = path.join(directory, "untrained.gguf");
        const done = await new TrainerClient().train(baseJob(adapterPath));
        assert.equal(done.steps, 0);
        const info = await readGgufFileInfo(adapterPath, {readTensorInfo: true});
        const bytes = await readFile(adapterPath);
        let bTensors = 0;
        for (const tensor of info.tensorInfo ?? []) {
            const count = tensor.dimensions.reduce<number>((a, b) => a * Number(b), 1);
            const start = Number(tensor.fileOffset);
            const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + count * 4));
            if (tensor.name.endsWith(".lora_b")) {
                bTensors++;
                assert.ok(values.every((v) => v === 0), `${tensor.name} is not zero`);
            } else
                assert.ok(values.some((v) => v !== 0), `${tensor.name} is all zero`);
        }
        assert.equal(bTensors, 5 * 2);

        const base = await model.createContext({contextSize: 256, threads: 1});
        const adapted = await model.createContext({contextSize: 256, threads: 1, lora: {adapters: [{filePath: adapterPath, scale: 1}]}});
        const baseSequence = base.getSequence();
        const adaptedSequence = adapted.getSequence();
        for (const sample of samples.slice(0, 3)) {
            const expected = await getCompletionLogProbs(baseSequence, sample.prompt, sample.completion);
            const actual = await getCompletionLogProbs(adaptedSequence, sample.prompt, sample.completion);
            assert.deepEqual(actual, expected);
        }
        await adapted.dispose();
        await base.dispose();
    });

    test("the loss covers the completion and EOS only, not the prompt", async () => {
        // One step over all samples at once: the reported loss is computed before the update,
        // with B = 0, so it is the base model's loss on exactly the tokens the trainer scores.
        const progress: number[] = [];
        await new TrainerClient().train({...baseJob(path.join(directory, "one-step.gguf")), steps: 1, learningRate: 1e-6, lrSchedule: "constant"}, {
            onEvent: (event) => {
                if (event.type === "progress")
                    progress.push(event.loss);
            }
        });
        const context = await model.createContext({contextSize: 256, threads: 1});
        const sequence = context.getSequence();
        let completionSum = 0;
        let completionCount = 0;
        let promptSum = 0;
        let promptCount = 0;
        for (const sample of samples) {
            const {tokens, nPrompt} = tokenizeSample(model, sample.prompt, sample.completion);
            const logProbs = await getNextTokenLogProbs(sequence, tokens);
            // positions before nPrompt - 1 predict prompt tokens: a loss over every position would include them
            promptSum -= logProbs.slice(0, nPrompt - 1).reduce((a, b) => a + b, 0);
            promptCount += nPrompt - 1;
            completionSum -= logProbs.slice(nPrompt - 1).reduce((a, b) => a + b, 0);
            completionCount += logProbs.length - (nPrompt - 1);
        }
        await context.dispose();
        const completionOnly = completionSum / completionCount;
        const allTokens = (completionSum + promptSum) / (completionCount + promptCount);
        assert.equal(progress.length, 1);
        assert.ok(Math.abs(progress[0]! - completionOnly) < 1e-3 * completionOnly, `trainer ${progress[0]} vs completion-only ${completionOnly}`);
        assert.ok(Math.abs(progress[0]! - allTokens) > 0.05 * allTokens, `trainer ${progress[0]} is close to the all-token loss ${allTokens}`);
    });
});
