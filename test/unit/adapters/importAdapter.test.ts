import assert from "node:assert/strict";
import {mkdir, readdir, readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {test, type TestContext} from "node:test";
import {importAdapter} from "../../../src/core/adapters/importAdapter";
import {readGgufHeader} from "../../../src/core/adapters/gguf/readGgufHeader";
import {writeGgufAdapter} from "../../../src/core/adapters/gguf/writeGgufAdapter";
import {readBaseModelInfo} from "../../../src/core/adapters/readBaseModelInfo";
import {getTaskModuleStates} from "../../../src/core/moduleStates/getTaskModuleStates";
import {ConpetError, type ErrorCode} from "../../../src/vocabulary/errors";
import type {ConpetStore} from "../../../src/store/ConpetStore";
import {createTempDirectory} from "../store/createTempDirectory";
import {openTempStore} from "../store/openTempStore";
import {createCountingData, fakeBase, writeFakeBaseModel, writePeftFolder} from "./adapterFixtures";

type Setup = {directory: string; store: ConpetStore; modelPath: string};

async function setUp(t: TestContext): Promise<Setup> {
    const directory = await createTempDirectory(t);
    const store = await openTempStore(t);
    await store.createTask({name: "greet", instruction: "Say hello", kind: "generate"});
    await store.addSamples((await store.getTask("greet")).id, [{input: "Ann", output: "Hello, Ann"}]);
    const modelPath = path.join(directory, "base.gguf");
    await writeFakeBaseModel(modelPath);
    return {directory, store, modelPath};
}

/** lora_A/lora_B of q (rank 2) and v (rank 2), with distinct values everywhere. */
function createPeftTensors() {
    const {nEmbd, headCount, headCountKv, headDim} = fakeBase;
    return {
        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": {shape: [2, nEmbd], data: createCountingData(2 * nEmbd)},
        "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight": {shape: [headCount * headDim, 2], data: createCountingData(headCount * headDim * 2, 1000)},
        "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight": {shape: [2, nEmbd], data: createCountingData(2 * nEmbd, 2000)},
        "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight": {shape: [headCountKv * headDim, 2], data: createCountingData(headCountKv * headDim * 2, 3000)}
    };
}

async function readTensor(file: string, name: string): Promise<{dimensions: number[]; data: Float32Array}> {
    const header = await readGgufHeader(file);
    const tensor = header.tensors.find((candidate) => candidate.name === name)!;
    const bytes = await readFile(file);
    const length = tensor.dimensions.reduce((product, dim) => product * dim, 1);
    return {dimensions: tensor.dimensions, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset + tensor.offset, bytes.byteOffset + tensor.offset + length * 4))};
}

function rejectsWith(code: ErrorCode, pattern: RegExp) {
    return (err: unknown) => {
        assert.ok(ConpetError.is(err, code), `expected ${code}, got ${String(err)}`);
        assert.match(err.message, pattern);
        return true;
    };
}

test("a PEFT adapter becomes the task's module: names mapped, q rows of B permuted for llama, A and v untouched, alpha kept", async (t) => {
    const {directory, store, modelPath} = await setUp(t);
    const tensors = createPeftTensors();
    const folder = await writePeftFolder(path.join(directory, "peft"), {r: 2, lora_alpha: 4, target_modules: ["q_proj", "v_proj"], base_model_name_or_path: "org/tiny"}, tensors);

    const result = await importAdapter(store, {task: "greet", adapterPath: folder, modelPath});
    assert.equal(result.format, "peft");
    assert.equal(result.replaced, false);
    assert.equal(result.peftBaseModelName, "org/tiny");
    const base = await readBaseModelInfo(modelPath);
    assert.deepEqual({...result.module, id: 0, file: "", sizeBytes: 0, trainedAt: ""}, {
        id: 0, file: "", sizeBytes: 0, trainedAt: "", taskId: (await store.getTask("greet")).id, kind: "task-lora", baseModelFingerprint: base.fingerprint,
        rank: 2, alpha: 4, targetModules: ["q", "v"], trainableParameters: 2 * 8 + 8 * 2 + 2 * 8 + 4 * 2, metrics: {}, samplesHash: await store.getSamplesHash(result.module.taskId!)
    });
    const states = await getTaskModuleStates(store, {mode: "dynamic", baseModelFingerprint: base.fingerprint});
    assert.equal(states.find((status) => status.task.id === result.module.taskId)?.state, "ready");

    const file = store.resolveModulePath(result.module);
    const header = await readGgufHeader(file);
    assert.deepEqual(header.metadata, {"general.type": "adapter", "general.architecture": "llama", "adapter.type": "lora", "adapter.lora.alpha": 4});
    const qA = await readTensor(file, "blk.0.attn_q.weight.lora_a");
    assert.deepEqual(qA, {dimensions: [8, 2], data: tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].data});
    // 2 heads of 4 rows (rank 2): rows [0 1 | 2 3] of each head become [0 2 1 3].
    const qB = await readTensor(file, "blk.0.attn_q.weight.lora_b");
    assert.deepEqual(qB.dimensions, [2, 8]);
    const rowOrder = Array.from({length: 8}, (_, row) => (qB.data[row * 2]! - 1000) / 2);
    assert.deepEqual(rowOrder, [0, 2, 1, 3, 4, 6, 5, 7]);
    const vB = await readTensor(file, "blk.0.attn_v.weight.lora_b");
    assert.deepEqual(vB, {dimensions: [2, 4], data: tensors["base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight"].data});

    // Importing again replaces the module of the same base model.
    const again = await importAdapter(store, {task: "greet", adapterPath: path.join(folder, "adapter_config.json"), modelPath});
    assert.equal(again.replaced, true);
    assert.equal((await store.listModules()).length, 1);
});

test("rsLoRA and alpha_pattern scales are folded into B, so llama.cpp's alpha / rank gives PEFT's scale", async (t) => {
    const {directory, store, modelPath} = await setUp(t);
    const tensors = createPeftTensors();
    const folder = await writePeftFolder(path.join(directory, "peft"), {r: 2, lora_alpha: 4, use_rslora: true, alpha_pattern: {v_proj: 8}}, tensors);
    const {module} = await importAdapter(store, {task: "greet", adapterPath: folder, modelPath});
    const file = store.resolveModulePath(module);
    // q: PEFT 4 / sqrt(2), llama.cpp 4 / 2 → B × sqrt(2). v: PEFT 8 / sqrt(2) → B × 2·sqrt(2).
    const vB = await readTensor(file, "blk.0.attn_v.weight.lora_b");
    const original = tensors["base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight"].data;
    vB.data.forEach((value, i) => assert.ok(Math.abs(value - original[i]! * 2 * Math.SQRT2) < 1e-3, `v ${i}: ${value}`));
    const qB = await readTensor(file, "blk.0.attn_q.weight.lora_b");
    assert.ok(Math.abs(qB.data[0]! - 1000 * Math.SQRT2) < 1e-3, `q: ${qB.data[0]}`);
});

test("a GGUF adapter is checked and copied byte for byte", async (t) => {
    const {directory, store, modelPath} = await setUp(t);
    const adapter = path.join(directory, "a.gguf");
    await writeGgufAdapter(adapter, {architecture: "llama", alpha: 8, tensors: [
        {name: "blk.0.attn_k.weight.lora_a", dimensions: [8, 4], data: createCountingData(32)},
        {name: "blk.0.attn_k.weight.lora_b", dimensions: [4, 4], data: createCountingData(16)},
        {name: "output.weight.lora_a", dimensions: [8, 4], data: createCountingData(32)},
        {name: "output.weight.lora_b", dimensions: [4, 16], data: createCountingData(64)}
    ]});
    const result = await importAdapter(store, {task: "greet", adapterPath: adapter, modelPath});
    assert.equal(result.format, "gguf");
    assert.deepEqual(result.module.targetModules, ["k", "output"]);
    assert.deepEqual(await readFile(store.resolveModulePath(result.module)), await readFile(adapter));
});

test("adapters that do not fit the base model, or are not LoRA adapters, are refused with a specific error and nothing is registered", async (t) => {
    const {directory, store, modelPath} = await setUp(t);
    const peft = (name: string, config: Record<string, unknown>, tensors: Record<string, {shape: number[]; data: Float32Array}> = createPeftTensors()) =>
        writePeftFolder(path.join(directory, name), {r: 2, lora_alpha: 4, ...config}, tensors);
    const gguf = async (name: string, architecture: string, tensors: {name: string; dimensions: number[]; data: Float32Array}[]) => {
        const file = path.join(directory, `${name}.gguf`);
        await writeGgufAdapter(file, {architecture, alpha: 4, tensors});
        return file;
    };
    const pair = (target: string, nIn: number, rank: number, nOut: number) => [
        {name: `${target}.lora_a`, dimensions: [nIn, rank], data: new Float32Array(nIn * rank)},
        {name: `${target}.lora_b`, dimensions: [rank, nOut], data: new Float32Array(rank * nOut)}
    ];
    const attempt = (adapterPath: string) => importAdapter(store, {task: "greet", adapterPath, modelPath});

    await assert.rejects(attempt(await gguf("qwen", "qwen2", pair("blk.0.attn_q.weight", 8, 2, 8))), rejectsWith("ADAPTER_MISMATCH", /"qwen2" architecture.*"llama"/));
    await assert.rejects(attempt(await gguf("wide", "llama", pair("blk.0.attn_q.weight", 16, 2, 16))), rejectsWith("ADAPTER_MISMATCH", /16 → 16 features.*8 → 8/));
    await assert.rejects(attempt(await gguf("deep", "llama", pair("blk.7.attn_q.weight", 8, 2, 8))), rejectsWith("ADAPTER_MISMATCH", /blk\.7\.attn_q\.weight, which the base model .* does not have \(it has 1 blocks\)/));
    await assert.rejects(attempt(await gguf("half", "llama", pair("blk.0.attn_q.weight", 8, 2, 8).slice(0, 1))), rejectsWith("ADAPTER_INVALID", /lora_a without its other half/));
    await assert.rejects(attempt(modelPath), rejectsWith("ADAPTER_INVALID", /is a model, not a LoRA adapter/));
    const cut = path.join(directory, "cut.gguf");
    const whole = await readFile(await gguf("whole", "llama", pair("blk.0.attn_q.weight", 8, 2, 8)));
    await writeFile(cut, whole.subarray(0, whole.length - 16));
    await assert.rejects(attempt(cut), rejectsWith("ADAPTER_INVALID", /is truncated/));
    const notGguf = path.join(directory, "notes.gguf");
    await writeFile(notGguf, "these are notes");
    await assert.rejects(attempt(notGguf), rejectsWith("ADAPTER_INVALID", /is not a GGUF file/));

    const tensors = createPeftTensors();
    await assert.rejects(attempt(await peft("dora", {use_dora: true})), rejectsWith("ADAPTER_INVALID", /DoRA/));
    await assert.rejects(attempt(await peft("prefix", {peft_type: "PREFIX_TUNING"})), rejectsWith("ADAPTER_INVALID", /only LoRA adapters/));
    await assert.rejects(attempt(await peft("regex", {alpha_pattern: {"(a+)+$": 8}})), rejectsWith("ADAPTER_INVALID", /is a regular expression/));
    await assert.rejects(attempt(await peft("embed", {}, {...tensors, "base_model.model.model.embed_tokens.lora_embedding_A": {shape: [2, 16], data: new Float32Array(32)}})), rejectsWith("ADAPTER_INVALID", /embed_tokens\.lora_embedding_A, which is not the lora_A or lora_B/));
    await assert.rejects(attempt(await peft("narrow", {}, {
        ...tensors, "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight": {shape: [8, 2], data: new Float32Array(16)}
    })), rejectsWith("ADAPTER_MISMATCH", /blk\.0\.attn_v\.weight as 8 → 8 features.*8 → 4/));
    const pickled = path.join(directory, "pickled");
    await mkdir(pickled);
    await writeFile(path.join(pickled, "adapter_config.json"), JSON.stringify({peft_type: "LORA", r: 2, lora_alpha: 4}));
    await writeFile(path.join(pickled, "adapter_model.bin"), "pickle");
    await assert.rejects(attempt(pickled), rejectsWith("ADAPTER_INVALID", /pickle.*safe_serialization=True/));
    // An adapter ConPET exported from a module of another base model says so in conpet.json.
    const foreign = await peft("foreign", {});
    await writeFile(path.join(foreign, "conpet.json"), JSON.stringify({format: "conpet-peft-v1", task: "x", baseModel: {fingerprint: "llama-1-abc", architecture: "llama", name: "other"}}));
    await assert.rejects(attempt(foreign), rejectsWith("ADAPTER_MISMATCH", /another base model \(other, llama-1-abc\)/));
    // A base model whose architecture has no PEFT mapping here.
    const phi = path.join(directory, "phi.gguf");
    await writeFakeBaseModel(phi, "phi3");
    await assert.rejects(importAdapter(store, {task: "greet", adapterPath: await peft("any", {}), modelPath: phi}), rejectsWith("MODEL_UNSUPPORTED", /convert_lora_to_gguf\.py/));
    await assert.rejects(importAdapter(store, {task: "nope", adapterPath: foreign, modelPath}), rejectsWith("TASK_NOT_FOUND", /nope/));

    assert.deepEqual(await store.listModules(), []);
    assert.deepEqual(await readdir(path.join(store.directory, "adapters")), []);
    // Every refusal came before a work file was made: the work folder is absent or empty.
    const workFiles = await readdir(store.workDirectory).catch((err: NodeJS.ErrnoException) => err.code === "ENOENT" ? [] : Promise.reject(err));
    assert.deepEqual(workFiles, [], "no work file is left behind");
});

test("an import is refused while a training holds the store's lease, can be cancelled, and goes through after", async (t) => {
    const {directory, store, modelPath} = await setUp(t);
    const folder = await writePeftFolder(path.join(directory, "peft"), {r: 2, lora_alpha: 4}, createPeftTensors());
    const lease = await store.acquireTrainingLease({label: "a training"});
    await assert.rejects(importAdapter(store, {task: "greet", adapterPath: folder, modelPath}), (err: unknown) => ConpetError.is(err, "TRAINING_BUSY"));
    await store.releaseTrainingLease(lease.token);
    // Cancelled after the conversion, before registering: nothing changes, no work file stays.
    await assert.rejects(importAdapter(store, {task: "greet", adapterPath: folder, modelPath, signal: AbortSignal.abort()}), (err: unknown) => ConpetError.is(err, "CANCELLED"));
    assert.deepEqual(await store.listModules(), []);
    assert.deepEqual(await readdir(store.workDirectory), []);
    assert.equal(await store.getTrainingLease(), undefined, "the lease is released after a failure");
    assert.equal((await importAdapter(store, {task: "greet", adapterPath: folder, modelPath})).format, "peft");
});
