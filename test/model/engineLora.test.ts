/**
 * LoRA adapters through the engine's context pool, with adapters written here (the trainer adds
 * tests with real trained adapters): B = 0 must give exactly the base model; a non-zero B must
 * change the scores, scale with `scale`, and survive eviction from the pool.
 */
import assert from "node:assert/strict";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {readGgufFileInfo} from "node-llama-cpp";
import {ConpetError} from "../../src/vocabulary/errors";
import type {EngineClient} from "../../src/engine/client/EngineClient";
import {getTestModelPath} from "../utils/modelFiles";
import {createSeededUniform, writeLoraAdapter} from "../unit/engineGgufFixtures";
import {createTestEngineClient, getTestLoadParams, maxDifference} from "./engineTestClient";

/**
 * "Same" allows float noise: llama.cpp's CPU kernels differ slightly between a batch that reuses
 * a cached prefix and one that doesn't (measured up to ~4e-4 on a summed log-probability).
 */
const sameTolerance = 2e-3;

const items = [
    {prompt: "Once upon a time, there was a little", completions: ["girl", "dog", "tree"]},
    {prompt: "Tom was sad because", completions: ["he lost his ball", "it rained"]}
];

describe("engine with LoRA adapters", () => {
    let client: EngineClient;
    let directory: string;
    let targets: Record<string, number[]>;

    before(async () => {
        directory = await mkdtemp(path.join(tmpdir(), "conpet-lora-"));
        const fileInfo = await readGgufFileInfo(getTestModelPath(), {logWarnings: false});
        targets = Object.fromEntries((fileInfo.tensorInfo ?? [])
            .filter((tensor) => /^blk\.\d+\.attn_(q|k|v|output)\.weight$/.test(tensor.name))
            .map((tensor) => [tensor.name, tensor.dimensions.map(Number)]));
        assert.equal(Object.keys(targets).length, 5 * 4);
        client = createTestEngineClient();
        await client.load(getTestLoadParams());
    });
    after(async () => {
        client.dispose();
        await rm(directory, {recursive: true, force: true});
    });

    async function writeAdapter(name: string, bScale: number, seed: number): Promise<string> {
        const filePath = path.join(directory, `${name}.gguf`);
        await writeLoraAdapter(filePath, {targets, rank: 4, alpha: 8, a: createSeededUniform(seed, 0.5), b: bScale === 0 ? () => 0 : createSeededUniform(seed + 1, bScale)});
        return filePath;
    }

    test("a zero-B adapter scores and generates exactly like the base model", async () => {
        const zero = await writeAdapter("zero", 0, 1);
        const base = await client.score({items});
        const adapted = await client.score({items, adapters: [{filePath: zero}]});
        assert.ok(maxDifference(base.logProbs, adapted.logProbs) < sameTolerance, `difference ${maxDifference(base.logProbs, adapted.logProbs)}`);
        assert.deepEqual(
            await client.generate({prompt: "Once upon a time", maxTokens: 30, adapters: [{filePath: zero}]}),
            await client.generate({prompt: "Once upon a time", maxTokens: 30})
        );
    });

    test("a non-zero adapter changes the scores, more with a larger scale, and scale 0 is the base model", async () => {
        const adapter = await writeAdapter("random", 0.5, 7);
        const base = await client.score({items});
        const full = await client.score({items, adapters: [{filePath: adapter, scale: 1}]});
        const half = await client.score({items, adapters: [{filePath: adapter, scale: 0.25}]});
        const off = await client.score({items, adapters: [{filePath: adapter, scale: 0}]});
        assert.ok(maxDifference(base.logProbs, full.logProbs) > 0.05, `difference ${maxDifference(base.logProbs, full.logProbs)}`);
        assert.ok(maxDifference(base.logProbs, half.logProbs) < maxDifference(base.logProbs, full.logProbs), `quarter ${maxDifference(base.logProbs, half.logProbs)} vs full ${maxDifference(base.logProbs, full.logProbs)}`);
        assert.ok(maxDifference(base.logProbs, off.logProbs) < sameTolerance, `off ${maxDifference(base.logProbs, off.logProbs)}`);
        // Base requests after adapter requests still get the base context.
        assert.ok(maxDifference(base.logProbs, (await client.score({items})).logProbs) < sameTolerance);
    });

    test("more adapter sets than the pool holds: evicted contexts are recreated with the same results", async () => {
        const files = await Promise.all([11, 12, 13, 14, 15, 16].map((seed) => writeAdapter(`pool-${seed}`, 0.5, seed)));
        const first = await Promise.all(files.map((filePath) => client.score({items, adapters: [{filePath}]})));
        // Different adapters give different scores (each context really binds its own adapter).
        assert.ok(maxDifference(first[0]!.logProbs, first[1]!.logProbs) > 0.01);
        const again = await client.score({items, adapters: [{filePath: files[0]!}]});
        assert.ok(maxDifference(first[0]!.logProbs, again.logProbs) < sameTolerance);
        // Two adapters at once, in either order, are one adapter set.
        const pair = await client.score({items, adapters: [{filePath: files[0]!}, {filePath: files[1]!}]});
        const swapped = await client.score({items, adapters: [{filePath: files[1]!}, {filePath: files[0]!}]});
        assert.ok(maxDifference(pair.logProbs, swapped.logProbs) < sameTolerance);
        assert.ok(maxDifference(pair.logProbs, first[0]!.logProbs) > 0.01);
    });

    test("an adapter rewritten in place (retrained to the same path) is reloaded, not served from the pool", async () => {
        const inPlace = await writeAdapter("in-place", 0.5, 21);
        const before = await client.score({items, adapters: [{filePath: inPlace}]});
        const replacement = await writeAdapter("replacement", 0.5, 31);
        const expected = await client.score({items, adapters: [{filePath: replacement}]});
        await writeAdapter("in-place", 0.5, 31);
        const after = await client.score({items, adapters: [{filePath: inPlace}]});
        assert.ok(maxDifference(before.logProbs, after.logProbs) > 0.01, "still the old weights");
        assert.ok(maxDifference(expected.logProbs, after.logProbs) < sameTolerance);
    });

    test("a missing adapter file or one for another model gives INVALID_INPUT and the engine keeps serving", async () => {
        const missing: unknown = await client.score({items, adapters: [{filePath: path.join(directory, "nope.gguf")}]}).catch((err: unknown) => err);
        assert.ok(ConpetError.is(missing, "INVALID_INPUT"));
        assert.match(missing.message, /not found/);

        const wrongShape = path.join(directory, "wrong-shape.gguf");
        await writeLoraAdapter(wrongShape, {targets: {"blk.0.attn_q.weight": [32, 32]}, rank: 2, alpha: 2, a: () => 0.1, b: () => 0});
        const mismatch: unknown = await client.score({items, adapters: [{filePath: wrongShape}]}).catch((err: unknown) => err);
        assert.ok(ConpetError.is(mismatch, "INVALID_INPUT"), String(mismatch));
        assert.match(mismatch.message, /base model/);

        assert.equal((await client.score({items})).logProbs.length, items.length);
    });
});
