import assert from "node:assert/strict";
import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {readGgufHeader} from "../../../src/core/adapters/gguf/readGgufHeader";
import {writeGgufAdapter} from "../../../src/core/adapters/gguf/writeGgufAdapter";
import {readSafetensors} from "../../../src/core/adapters/safetensors/readSafetensors";
import {writeSafetensors} from "../../../src/core/adapters/safetensors/writeSafetensors";
import {ConpetError} from "../../../src/vocabulary/errors";
import {createTempDirectory} from "../store/createTempDirectory";
import {createCountingData, writeFakeBaseModel} from "./adapterFixtures";

test("a GGUF adapter written here reads back with its keys, shapes and data offsets", async (t) => {
    const file = path.join(await createTempDirectory(t), "a.gguf");
    const a = createCountingData(8 * 3);
    const b = createCountingData(3 * 5, 100);
    await writeGgufAdapter(file, {architecture: "llama", alpha: 6, tensors: [
        {name: "blk.0.attn_q.weight.lora_a", dimensions: [8, 3], data: a},
        {name: "blk.0.attn_q.weight.lora_b", dimensions: [3, 5], data: b}
    ]});
    const header = await readGgufHeader(file);
    assert.deepEqual(header.metadata, {"general.type": "adapter", "general.architecture": "llama", "adapter.type": "lora", "adapter.lora.alpha": 6});
    assert.deepEqual(header.tensors.map(({name, dimensions, type}) => ({name, dimensions, type})), [
        {name: "blk.0.attn_q.weight.lora_a", dimensions: [8, 3], type: 0},
        {name: "blk.0.attn_q.weight.lora_b", dimensions: [3, 5], type: 0}
    ]);
    const bytes = await readFile(file);
    for (const [tensor, data] of [[header.tensors[0]!, a], [header.tensors[1]!, b]] as const) {
        assert.equal(tensor.offset % 32, 0, "tensor data is aligned to 32 bytes");
        assert.deepEqual(new Float32Array(bytes.buffer.slice(bytes.byteOffset + tensor.offset, bytes.byteOffset + tensor.offset + data.byteLength)), data);
    }
});

test("the GGUF header reader reads a base model's counts and tensor table, and says when a file is cut or not GGUF", async (t) => {
    const directory = await createTempDirectory(t);
    const base = path.join(directory, "base.gguf");
    await writeFakeBaseModel(base);
    const header = await readGgufHeader(base);
    assert.equal(header.metadata["llama.attention.head_count"], 2);
    assert.deepEqual(header.tensors.map((tensor) => tensor.name), ["blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.attn_v.weight", "blk.0.attn_output.weight", "output.weight"]);

    const cut = path.join(directory, "cut.gguf");
    await writeFile(cut, (await readFile(base)).subarray(0, 120));
    await assert.rejects(readGgufHeader(cut), /cut off at byte 120/);
    const text = path.join(directory, "text.gguf");
    await writeFile(text, "not a model at all");
    await assert.rejects(readGgufHeader(text), /does not start with "GGUF"/);
});

test("safetensors round-trips F32 and decodes F16 and BF16", async (t) => {
    const directory = await createTempDirectory(t);
    const file = path.join(directory, "x.safetensors");
    await writeSafetensors(file, new Map([["a", {shape: [2, 3], data: Float32Array.of(1, -2, 0.5, 3, 4, 1e-3)}]]));
    const bytes = await readFile(file);
    assert.equal(Number(bytes.readBigUInt64LE(0)) % 8, 0, "the header is padded to 8 bytes");
    const read = await readSafetensors(file);
    assert.deepEqual([...read.keys()], ["a"]);
    assert.deepEqual(read.get("a"), {shape: [2, 3], data: Float32Array.of(1, -2, 0.5, 3, 4, 1e-3)});

    // F16 1.0 = 0x3c00, -2.0 = 0xc000, 0.5 = 0x3800; BF16 1.0 = 0x3f80, -2.0 = 0xc000.
    const half = Buffer.from(Uint16Array.of(0x3c00, 0xc000, 0x3800).buffer);
    const brain = Buffer.from(Uint16Array.of(0x3f80, 0xc000).buffer);
    const json = Buffer.from(JSON.stringify({h: {dtype: "F16", shape: [3], data_offsets: [0, 6]}, b: {dtype: "BF16", shape: [2], data_offsets: [6, 10]}}));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(json.length));
    const mixed = path.join(directory, "mixed.safetensors");
    await writeFile(mixed, Buffer.concat([length, json, half, brain]));
    const decoded = await readSafetensors(mixed);
    assert.deepEqual(decoded.get("h")?.data, Float32Array.of(1, -2, 0.5));
    assert.deepEqual(decoded.get("b")?.data, Float32Array.of(1, -2));

    const cut = path.join(directory, "cut.safetensors");
    await writeFile(cut, bytes.subarray(0, bytes.length - 4));
    await assert.rejects(readSafetensors(cut), (err: unknown) => ConpetError.is(err, "ADAPTER_INVALID") && /may be truncated/.test(err.message));
    const ints = path.join(directory, "ints.safetensors");
    const intJson = Buffer.from(JSON.stringify({i: {dtype: "I64", shape: [1], data_offsets: [0, 8]}}));
    length.writeBigUInt64LE(BigInt(intJson.length));
    await writeFile(ints, Buffer.concat([length, intJson, Buffer.alloc(8)]));
    await assert.rejects(readSafetensors(ints), (err: unknown) => ConpetError.is(err, "ADAPTER_INVALID") && /dtype "I64"/.test(err.message));
});
