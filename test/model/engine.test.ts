/**
 * The engine process on the reference model: load and info, generation, label scoring (checked
 * against an independent computation in this process), embeddings (checked against per-prefix
 * hidden states), tokenisation, and the specific errors.
 */
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {getLlama, type Llama, type LlamaModel, type Token} from "node-llama-cpp";
import {ConpetError} from "../../src/vocabulary/errors";
import {getModelFingerprint} from "../../src/vocabulary/getModelFingerprint";
import type {EngineClient} from "../../src/engine/client/EngineClient";
import type {ModelInfo} from "../../src/vocabulary/engineProtocol";
import {getTestModelPath, testDataDirectory} from "../utils/modelFiles";
import {cosine, createTestEngineClient, getTestLoadParams} from "./engineTestClient";

async function rejection(promise: Promise<unknown>): Promise<ConpetError> {
    const err: unknown = await promise.then(() => null, (error: unknown) => error);
    assert.ok(err instanceof ConpetError, `expected a ConpetError, got ${String(err)}`);
    return err;
}

describe("engine on stories260K", () => {
    let client: EngineClient;
    let info: ModelInfo;
    let directory: string;
    // An independent reference: node-llama-cpp in this process, without the engine's code paths.
    let llama: Llama;
    let referenceModel: LlamaModel;

    before(async () => {
        directory = await mkdtemp(path.join(tmpdir(), "conpet-engine-"));
        client = createTestEngineClient();
        info = await client.load(getTestLoadParams());
        llama = await getLlama({gpu: false, build: "never"});
        referenceModel = await llama.loadModel({modelPath: getTestModelPath()});
    });
    after(async () => {
        client.dispose();
        await referenceModel.dispose();
        await llama.dispose();
        await rm(directory, {recursive: true, force: true});
    });

    test("load reports the model, the CPU backend and a stable fingerprint", async () => {
        assert.equal(info.modelPath, getTestModelPath());
        assert.equal(info.architecture, "llama");
        assert.equal(info.fileType, "F32");
        assert.equal(info.backend, "cpu");
        assert.equal(info.gpuLayers, 0);
        assert.equal(info.threads, 1);
        assert.equal(info.vramUsedBytes, 0);
        // 5 transformer blocks + the output layer, llama.cpp's offload count.
        assert.equal(info.layers, 6);
        assert.equal(info.embeddingSize, 64);
        assert.equal(info.vocabularySize, 512);
        assert.equal(info.contextSize, 256);
        assert.ok(info.parameters > 250_000 && info.parameters < 350_000, `parameters ${info.parameters}`);
        assert.ok(info.rssBytes > 10_000_000, `rss ${info.rssBytes}`);
        assert.equal(info.fingerprint, await getModelFingerprint(getTestModelPath(), "llama"));

        const automatic = await client.load(getTestLoadParams({threads: 0}));
        assert.equal(automatic.threads, Math.max(1, llama.cpuMathCores), "threads 0 resolves to the math cores");

        const progress: number[] = [];
        const again = await client.load(getTestLoadParams(), {onProgress: ({done, total}) => progress.push(done / total)});
        assert.equal(again.fingerprint, info.fingerprint);
        assert.ok(progress.length > 0 && progress.at(-1) === 1, `load progress ${progress.join(", ")}`);
        const current = await client.info();
        assert.equal(current?.fingerprint, info.fingerprint);
    });

    test("generate continues a story greedily", async () => {
        const result = await client.generate({prompt: "Once upon a time", maxTokens: 40, stopStrings: []});
        assert.match(result.text, /^, there was a little girl named Lily/);
        assert.ok(result.tokens > 0 && result.tokens <= 40, `tokens ${result.tokens}`);
        // Greedy is deterministic.
        assert.deepEqual(await client.generate({prompt: "Once upon a time", maxTokens: 40, stopStrings: []}), result);
    });

    test("generate stops at a stop string (cut) and at maxTokens", async () => {
        const stopped = await client.generate({prompt: "Once upon a time", maxTokens: 60, stopStrings: ["."]});
        assert.ok(!stopped.text.includes("."), stopped.text);
        assert.match(stopped.text, /Lily$/);
        const short = await client.generate({prompt: "Once upon a time", maxTokens: 3, stopStrings: []});
        assert.equal(short.tokens, 3);
    });

    test("generate streams the answer so far: each report a prefix of the final text, none with a stop string's start", async () => {
        const reports: string[] = [];
        const result = await client.generate({prompt: "Once upon a time", maxTokens: 200, stopStrings: ["\nUser:"]}, {
            onProgress: (progress) => {
                if (progress.text !== undefined)
                    reports.push(progress.text);
            }
        });
        assert.ok(reports.length >= 2, `${reports.length} reports`);
        for (const text of reports)
            assert.ok(result.text.startsWith(text), `${JSON.stringify(text)} is not a prefix of ${JSON.stringify(result.text)}`);
        // The tail that could still be the start of "\nUser:" is held back until it is not.
        assert.ok(reports.every((text) => !text.endsWith("\n")), JSON.stringify(reports));
        assert.ok(reports.some((text) => text.length > 20));
    });

    test("score prefers the plausible continuation", async () => {
        const {logProbs, tokenCounts} = await client.score({items: [
            {prompt: "Once upon a time, there was a little", completions: ["girl", "refrigerator"]},
            {prompt: "She was very", completions: ["happy", "quantum"]}
        ]});
        assert.equal(logProbs.length, 2);
        for (const row of logProbs) {
            const [plausible, implausible] = [row[0]!, row[1]!];
            assert.ok(plausible < 0 && implausible < 0);
            assert.ok(plausible > implausible + 2, `${plausible} vs ${implausible}`);
        }
        for (const [index, completion] of ["girl", "refrigerator"].entries()) {
            const {tokens} = await client.tokenize({text: completion, addBos: false});
            assert.equal(tokenCounts[0]![index], tokens.length);
        }
    });

    test("score equals the per-token log-probs of prompt+completion evaluated in one pass", async () => {
        const prompt = "Once upon a time, there was a little girl named";
        const completions = ["Lily", "Tom and his dog", "x"];
        const {logProbs} = await client.score({items: [{prompt, completions}]});

        const context = await referenceModel.createContext({contextSize: 256, threads: 1});
        try {
            const sequence = context.getSequence();
            for (const [index, completion] of completions.entries()) {
                const promptTokens = [referenceModel.tokens.bos!, ...referenceModel.tokenize(prompt, true)];
                const completionTokens = referenceModel.tokenize(completion, false);
                const all = [...promptTokens, ...completionTokens];
                await sequence.clearHistory();
                const outputs = await sequence.controlledEvaluate(all.slice(0, -1).map((token, position) => position >= promptTokens.length - 1
                    ? [token, {generateNext: {probabilities: true}}] as [Token, {generateNext: {probabilities: true}}]
                    : token));
                let expected = 0;
                for (let k = 0; k < completionTokens.length; k++)
                    expected += Math.log(outputs[promptTokens.length - 1 + k]!.next.probabilities!.get(completionTokens[k]!)!);
                assert.ok(Math.abs(logProbs[0]![index]! - expected) < 2e-3, `${completion}: engine ${logProbs[0]![index]} vs reference ${expected}`);
            }
        } finally {
            await context.dispose();
        }
    });

    test("score gives the same numbers with and without a shared prompt prefix in the cache", async () => {
        const items = [
            {prompt: "Tom had a red ball. He", completions: ["played", "ran away", "was sad"]},
            {prompt: "Tom had a red ball. She", completions: ["played", "ran away"]},
            {prompt: "Tom had a red ball. He", completions: ["was sad"]}
        ];
        const together = await client.score({items});
        // One completion at a time, each after an unrelated prompt so nothing is reused from the cache.
        for (const [itemIndex, item] of items.entries()) {
            for (const [completionIndex, completion] of item.completions.entries()) {
                await client.score({items: [{prompt: "Lily liked cats", completions: ["a"]}]});
                const alone = await client.score({items: [{prompt: item.prompt, completions: [completion]}]});
                assert.ok(Math.abs(alone.logProbs[0]![0]! - together.logProbs[itemIndex]![completionIndex]!) < 2e-3, `${item.prompt} ${completion}`);
            }
        }
        assert.ok(Math.abs(together.logProbs[0]![2]! - together.logProbs[2]![0]!) < 2e-3);
    });

    test("score gives each item the same numbers alone and in batches of any composition", async () => {
        // Several sequences share each decode; llama.cpp's lazy output reordering once handed one item
        // another's logits when node-llama-cpp read them on parallel threads (off by up to 1 nat).
        const reviews = readFileSync(path.join(testDataDirectory, "sentiment-domains", "amazon", "test.jsonl"), "utf8").trim().split("\n").slice(0, 16)
            .map((line) => (JSON.parse(line) as {input: string}).input.slice(0, 160));
        const item = (review: string) => ({prompt: `Review: ${review}\nSentiment:`, completions: ["positive", "negative"]});
        const alone: number[][] = [];
        for (const review of reviews)
            alone.push((await client.score({items: [item(review)]})).logProbs[0]!);
        for (let round = 0; round < 40; round++) {
            const chosen = reviews.map((_, i) => i).filter((i) => round % 2 === 0 || (i * 7 + round) % 3 !== 0);
            const batch = await client.score({items: chosen.map((i) => item(reviews[i]!))});
            chosen.forEach((i, j) => batch.logProbs[j]!.forEach((logProb, k) => {
                // Batch composition changes float rounding (about 1e-3 here), not which logits an item gets.
                assert.ok(Math.abs(logProb - alone[i]![k]!) < 1e-2, `round ${round}, review ${i}, completion ${k}: ${logProb} in a batch, ${alone[i]![k]} alone`);
            }));
        }
    });

    test("embed returns unit vectors of embeddingSize, closer for similar texts", async () => {
        const {vectors, tokenCounts} = await client.embed({texts: ["The cat sat on the mat.", "The dog sat on the mat.", "Quantum chromodynamics on a lattice"]});
        assert.equal(vectors.length, 3);
        for (const vector of vectors) {
            assert.equal(vector.length, info.embeddingSize);
            assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-6);
        }
        assert.ok(cosine(vectors[0]!, vectors[1]!) > cosine(vectors[0]!, vectors[2]!) + 0.05, `${cosine(vectors[0]!, vectors[1]!)} vs ${cosine(vectors[0]!, vectors[2]!)}`);
        assert.equal(tokenCounts?.length, 3);
    });

    test("embed is the mean of the last hidden states over the tokens", async () => {
        const text = "Lily went to the park with her mom";
        const [engineVector] = (await client.embed({texts: [text]})).vectors;
        // Reference: the model without pooling gives the last token's hidden state; in a causal
        // model the state at position k only depends on tokens 0..k, so prefixes give every position.
        const tokens = [referenceModel.tokens.bos!, ...referenceModel.tokenize(text, false)];
        const embeddingContext = await referenceModel.createEmbeddingContext({contextSize: 128, threads: 1});
        try {
            const sum = new Array<number>(info.embeddingSize).fill(0);
            for (let k = 1; k <= tokens.length; k++) {
                const {vector} = await embeddingContext.getEmbeddingFor(tokens.slice(0, k));
                vector.forEach((value, index) => sum[index]! += value / tokens.length);
            }
            const norm = Math.hypot(...sum);
            sum.forEach((value, index) => assert.ok(Math.abs(value / norm - engineVector![index]!) < 1e-4, `dimension ${index}`));
        } finally {
            await embeddingContext.dispose();
        }
    });

    test("embed keeps the head of a text longer than the context", async () => {
        const long = "The little dog ran and ran. ".repeat(200);
        const {vectors, tokenCounts} = await client.embed({texts: [long]});
        assert.ok(tokenCounts![0]! <= info.contextSize);
        assert.ok(Math.abs(Math.hypot(...vectors[0]!) - 1) < 1e-6);
    });

    test("tokenize follows the prompt/completion contract", async () => {
        const prompt = await client.tokenize({text: "Once upon a time", addBos: true});
        const completion = await client.tokenize({text: "Once upon a time", addBos: false});
        assert.equal(prompt.tokens[0], 1);
        assert.deepEqual(prompt.tokens.slice(1), completion.tokens);
    });

    test("a non-GGUF file and a missing file give specific errors and keep the loaded model", async () => {
        const notGguf = path.join(directory, "notes.gguf");
        await writeFile(notGguf, "these are not weights\n");
        const invalid = await rejection(client.load(getTestLoadParams({modelPath: notGguf})));
        assert.equal(invalid.code, "MODEL_INVALID");
        assert.match(invalid.message, /not a GGUF file/);
        assert.equal(invalid.data?.previousModelKept, true);
        const missing = await rejection(client.load(getTestLoadParams({modelPath: path.join(directory, "missing.gguf")})));
        assert.equal(missing.code, "MODEL_NOT_FOUND");
        assert.equal((await client.info())?.fingerprint, info.fingerprint);
    });

    test("a malformed request gets INVALID_INPUT and the engine keeps serving", async () => {
        const err = await rejection(client.generate({prompt: 42} as never));
        assert.equal(err.code, "INVALID_INPUT");
        const tooLong = await rejection(client.score({items: [{prompt: "word ".repeat(400), completions: ["a"]}]}));
        assert.equal(tooLong.code, "SAMPLE_TOO_LONG");
        assert.equal((await client.generate({prompt: "Once upon a time", maxTokens: 2})).tokens, 2);
    });

    test("download rejects bad arguments before touching the network", async () => {
        const err = await rejection(client.download({uri: "ftp://example.com/model.gguf", directory}));
        assert.equal(err.code, "INVALID_INPUT");
        const relative = await rejection(client.download({uri: "smollm2-135m", directory: "models"}));
        assert.equal(relative.code, "INVALID_INPUT");
    });

    test("requests before any load fail with MODEL_NOT_SELECTED", async () => {
        const fresh = createTestEngineClient();
        try {
            assert.equal(await fresh.info(), null);
            assert.equal((await rejection(fresh.score({items: [{prompt: "a", completions: ["b"]}]}))).code, "MODEL_NOT_SELECTED");
        } finally {
            fresh.dispose();
        }
    });
});
