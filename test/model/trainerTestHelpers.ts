/**
 * Shared pieces of the trainer's model tests: the code-lang task as prompt/completion pairs, and
 * completion log-likelihoods from node-llama-cpp (used directly, not through the engine process),
 * tokenised by the same contract as the trainer.
 */
import {readFileSync} from "node:fs";
import {mkdtemp} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {LlamaContextSequence, LlamaModel, Token} from "node-llama-cpp";
import type {TrainJob, TrainSample} from "../../src/vocabulary/trainerProtocol";
import {getTestModelPath, testDataDirectory} from "../utils/modelFiles";

export type LabelledSample = TrainSample & {label: string};

/** The prompt the tests train and score with; inputs are cut so samples stay short on the tiny model. */
export function formatCodePrompt(input: string): string {
    return `Code:\n${input.slice(0, 120)}\nLanguage:`;
}

export function loadCodeLangSamples(split: "train" | "test", limit: number, task = "langs-1"): {samples: LabelledSample[]; labels: string[]} {
    const directory = path.join(testDataDirectory, "code-lang", task);
    const labels = (JSON.parse(readFileSync(path.join(directory, "task.json"), "utf8")) as {labels: string[]}).labels;
    const lines = readFileSync(path.join(directory, `${split}.jsonl`), "utf8").split("\n").filter((line) => line.trim() !== "");
    const samples = lines.slice(0, limit).map((line) => {
        const {input, output} = JSON.parse(line) as {input: string; output: string};
        return {prompt: formatCodePrompt(input), completion: ` ${output}`, label: output};
    });
    return {samples, labels};
}

/**
 * A one-step, one-sample, rank-2 job on the test model writing `outputPath`: the cheapest real run
 * (on the CPU, 1 thread). The trainer has no defaults for hyper-parameters, so the job names them all.
 */
export function createSmallTrainJob(outputPath: string, overrides: Partial<TrainJob> = {}): TrainJob {
    return {
        modelPath: getTestModelPath(),
        outputPath,
        samples: [{prompt: "Once upon a time", completion: " there was a cat."}],
        lora: {rank: 2, alpha: 4, targetModules: ["q", "v"]},
        steps: 1,
        batchSize: 1,
        learningRate: 1e-3,
        lrSchedule: "cosine",
        seed: 42,
        contextSize: 256,
        threads: 1,
        gpuLayers: 0,
        ...overrides
    };
}

/** A short code-lang run on `samples` (12 steps of 4, rank 4 on q,k,v,o, constant lr 5e-3, seed 42, 1 thread on the CPU) writing `outputPath`. */
export function createCodeLangTrainJob(samples: TrainSample[], outputPath: string, overrides: Partial<TrainJob> = {}): TrainJob {
    return {
        modelPath: getTestModelPath(),
        outputPath,
        samples: samples.map(({prompt, completion}) => ({prompt, completion})),
        lora: {rank: 4, alpha: 8, targetModules: ["q", "k", "v", "o"]},
        steps: 12,
        batchSize: 4,
        learningRate: 5e-3,
        lrSchedule: "constant",
        seed: 42,
        contextSize: 256,
        threads: 1,
        gpuLayers: 0,
        ...overrides
    };
}

export async function createTempDirectory(): Promise<string> {
    return mkdtemp(path.join(os.tmpdir(), "conpet-trainer-test-"));
}

/** `prompt (BOS, specials) + completion (no BOS, no specials) + EOS`, as the trainer tokenises. */
export function tokenizeSample(model: LlamaModel, prompt: string, completion: string): {tokens: Token[]; nPrompt: number} {
    const promptTokens = model.tokenize(prompt, true);
    const bos = model.tokens.bos;
    const withBos = bos !== null && promptTokens[0] !== bos ? [bos, ...promptTokens] : promptTokens;
    const completionTokens = model.tokenize(completion, false);
    const eos = model.tokens.eos;
    return {tokens: [...withBos, ...completionTokens, ...(eos === null ? [] : [eos])], nPrompt: withBos.length};
}

/** `log p(tokens[i + 1] | tokens[0..i])` for every `i >= from` (full-vocabulary softmax, temperature 1). */
export async function getNextTokenLogProbs(sequence: LlamaContextSequence, tokens: Token[], from = 0): Promise<number[]> {
    await sequence.clearHistory();
    {
        const input = tokens.slice(0, -1).map((token, index) => index >= from
            ? [token, {generateNext: {probabilities: true, options: {temperature: 1, topK: 0, topP: 1, minP: 0}}}] as const
            : token);
        const results = await sequence.controlledEvaluate(input as Parameters<typeof sequence.controlledEvaluate>[0]);
        const logProbs: number[] = [];
        for (let index = from; index < tokens.length - 1; index++) {
            const probabilities = results[index]?.next?.probabilities;
            if (probabilities === undefined)
                throw new Error(`no probabilities at ${index}`);
            logProbs.push(Math.log(probabilities.get(tokens[index + 1]!) ?? 0));
        }
        return logProbs;
    }
}

/** Per-token natural-log probabilities of the completion and EOS given the prompt. */
export async function getCompletionLogProbs(sequence: LlamaContextSequence, prompt: string, completion: string): Promise<number[]> {
    const {tokens, nPrompt} = tokenizeSample(sequence.model, prompt, completion);
    return getNextTokenLogProbs(sequence, tokens, nPrompt - 1);
}

/** Held-out label accuracy of `model` alone and with the adapter at `adapterPath` (scale 1), each in its own context. */
export async function scoreBaseAndAdapter(model: LlamaModel, adapterPath: string, heldOut: {samples: LabelledSample[]; labels: string[]}): Promise<{baseAccuracy: number; adaptedAccuracy: number}> {
    const base = await model.createContext({contextSize: 512, threads: 1});
    const baseAccuracy = await scoreLabelAccuracy(base.getSequence(), heldOut.samples, heldOut.labels);
    await base.dispose();
    const adapted = await model.createContext({contextSize: 512, threads: 1, lora: {adapters: [{filePath: adapterPath, scale: 1}]}});
    const adaptedAccuracy = await scoreLabelAccuracy(adapted.getSequence(), heldOut.samples, heldOut.labels);
    await adapted.dispose();
    return {baseAccuracy, adaptedAccuracy};
}

/** Share of samples whose own label has the highest completion log-likelihood among all labels. */
export async function scoreLabelAccuracy(sequence: LlamaContextSequence, samples: LabelledSample[], labels: string[]): Promise<number> {
    let correct = 0;
    for (const sample of samples) {
        let best = "";
        let bestScore = -Infinity;
        for (const label of labels) {
            const score = (await getCompletionLogProbs(sequence, sample.prompt, ` ${label}`)).reduce((a, b) => a + b, 0);
            if (score > bestScore) {
                bestScore = score;
                best = label;
            }
        }
        if (best === sample.label)
            correct++;
    }
    return correct / samples.length;
}
