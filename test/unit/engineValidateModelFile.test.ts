import assert from "node:assert/strict";
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import {validateModelFile} from "../../src/engine/process/validateModelFile";
import {encodeGguf, writeLoraAdapter} from "./engineGgufFixtures";

describe("validateModelFile", () => {
    let directory: string;
    before(async () => {
        directory = await mkdtemp(path.join(tmpdir(), "conpet-validate-"));
    });
    after(async () => {
        await rm(directory, {recursive: true, force: true});
    });

    async function rejection(filePath: string): Promise<ConpetError> {
        const err: unknown = await validateModelFile(filePath).then(() => null, (error: unknown) => error);
        assert.ok(err instanceof ConpetError, `expected a ConpetError, got ${String(err)}`);
        return err;
    }

    test("a missing file is MODEL_NOT_FOUND", async () => {
        const err = await rejection(path.join(directory, "missing.gguf"));
        assert.equal(err.code, "MODEL_NOT_FOUND");
    });

    test("a folder is MODEL_NOT_FOUND", async () => {
        assert.equal((await rejection(directory)).code, "MODEL_NOT_FOUND");
    });

    test("a file that isn't GGUF is MODEL_INVALID and says so", async () => {
        const filePath = path.join(directory, "weights.safetensors.gguf");
        await writeFile(filePath, JSON.stringify({not: "a model"}));
        const err = await rejection(filePath);
        assert.equal(err.code, "MODEL_INVALID");
        assert.match(err.message, /not a GGUF file/);
    });

    test("an empty file is MODEL_INVALID", async () => {
        const filePath = path.join(directory, "empty.gguf");
        await writeFile(filePath, "");
        assert.equal((await rejection(filePath)).code, "MODEL_INVALID");
    });

    test("a GGUF with a damaged header is MODEL_INVALID", async () => {
        const filePath = path.join(directory, "damaged.gguf");
        const full = encodeGguf({"general.architecture": {type: "string", value: "llama"}});
        // Cut inside the metadata: the architecture string is incomplete.
        await writeFile(filePath, full.subarray(0, 50));
        assert.equal((await rejection(filePath)).code, "MODEL_INVALID");
    });

    test("an architecture llama.cpp doesn't know is MODEL_UNSUPPORTED", async () => {
        const filePath = path.join(directory, "alien.gguf");
        await writeFile(filePath, encodeGguf({"general.architecture": {type: "string", value: "alien-transformer-9000"}}));
        const err = await rejection(filePath);
        assert.equal(err.code, "MODEL_UNSUPPORTED");
        assert.match(err.message, /alien-transformer-9000/);
    });

    test("a LoRA adapter is MODEL_UNSUPPORTED as a base model", async () => {
        const filePath = path.join(directory, "adapter.gguf");
        await writeLoraAdapter(filePath, {targets: {"blk.0.attn_q.weight": [4, 4]}, rank: 2, alpha: 2, a: () => 0.1, b: () => 0});
        const err = await rejection(filePath);
        assert.equal(err.code, "MODEL_UNSUPPORTED");
        assert.match(err.message, /adapter/);
    });

    test("a GGUF whose tensor data is cut off is MODEL_INVALID", async () => {
        const filePath = path.join(directory, "truncated.gguf");
        const tensors = [
            {name: "token_embd.weight", dimensions: [8, 4], data: new Float32Array(32)},
            {name: "output.weight", dimensions: [8, 4], data: new Float32Array(32)}
        ];
        const full = encodeGguf({"general.architecture": {type: "string", value: "llama"}}, tensors);
        // Keep the header and the first tensor only: the second starts past the end.
        await writeFile(filePath, full.subarray(0, full.length - 128));
        const err = await rejection(filePath);
        assert.equal(err.code, "MODEL_INVALID");
        assert.match(err.message, /truncated/);
    });

    test("a well-formed GGUF of a known architecture passes, with its metadata", async () => {
        const filePath = path.join(directory, "tiny.gguf");
        await writeFile(filePath, encodeGguf({"general.architecture": {type: "string", value: "llama"}}, [
            {name: "token_embd.weight", dimensions: [8, 4], data: new Float32Array(32)}
        ]));
        const file = await validateModelFile(filePath);
        assert.equal(file.architecture, "llama");
        assert.equal(file.fileType, "F32");
        assert.equal(file.parameters, 32);
        assert.match(file.fingerprint, /^llama-\d+-[0-9a-f]{16}$/);
    });
});
