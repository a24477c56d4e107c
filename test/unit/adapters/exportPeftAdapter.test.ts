import assert from "node:assert/strict";
import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {importAdapter} from "../../../src/core/adapters/importAdapter";
import {writeGgufAdapter} from "../../../src/core/adapters/gguf/writeGgufAdapter";
import {readBaseModelInfo} from "../../../src/core/adapters/readBaseModelInfo";
import {readSafetensors} from "../../../src/core/adapters/safetensors/readSafetensors";
import {exportTasks} from "../../../src/core/importExport/exportTasks";
import {createTempDirectory} from "../store/createTempDirectory";
import {openTempStore} from "../store/openTempStore";
import {createCountingData, writeFakeBaseModel} from "./adapterFixtures";

test("export writes each task's adapter for the base model as PEFT, which imports back to the same GGUF tensors", async (t) => {
    const directory = await createTempDirectory(t);
    const store = await openTempStore(t);
    const modelPath = path.join(directory, "base.gguf");
    await writeFakeBaseModel(modelPath);
    const base = await readBaseModelInfo(modelPath);
    const greet = await store.createTask({name: "greet", instruction: "Say hello", kind: "generate"});
    const other = await store.createTask({name: "other/base", instruction: "Say bye", kind: "generate"});
    await store.createTask({name: "copy", instruction: "Say hello", kind: "generate"});

    // q and k at rank 2, the output layer at rank 3: the config's r is 2 and rank_pattern names the output layer.
    const original = path.join(directory, "trained.gguf");
    const tensors = [
        {name: "blk.0.attn_k.weight.lora_a", dimensions: [8, 2], data: createCountingData(16)},
        {name: "blk.0.attn_k.weight.lora_b", dimensions: [2, 4], data: createCountingData(8, 100)},
        {name: "blk.0.attn_q.weight.lora_a", dimensions: [8, 2], data: createCountingData(16, 200)},
        {name: "blk.0.attn_q.weight.lora_b", dimensions: [2, 8], data: createCountingData(16, 300)},
        {name: "output.weight.lora_a", dimensions: [8, 3], data: createCountingData(24, 400)},
        {name: "output.weight.lora_b", dimensions: [3, 16], data: createCountingData(48, 500)}
    ];
    await writeGgufAdapter(original, {architecture: "llama", alpha: 16, tensors});
    const register = async (taskId: number, fingerprint: string, file: string) => store.registerModule({
        sourceFile: file, taskId, kind: "task-lora", baseModelFingerprint: fingerprint, rank: 2, alpha: 16,
        targetModules: ["q", "k"], trainableParameters: 0, metrics: {}, samplesHash: await store.getSamplesHash(taskId)
    });
    const registered = path.join(directory, "registered.gguf");
    await writeFile(registered, await readFile(original));
    await register(greet.id, base.fingerprint, registered);
    const foreign = path.join(directory, "foreign.gguf");
    await writeFile(foreign, await readFile(original));
    await register(other.id, "llama-1-other", foreign);

    const out = path.join(directory, "export");
    const result = await exportTasks(store, {outDir: out, modelPath});
    assert.deepEqual(result.tasks.map(({name, adapter, peftAdapter}) => ({name, adapter, peftAdapter})), [
        {name: "greet", adapter: "adapters/greet.gguf", peftAdapter: "adapters/greet.peft"},
        {name: "other/base", adapter: "adapters/other_base.gguf", peftAdapter: null},
        {name: "copy", adapter: null, peftAdapter: null}
    ]);
    assert.deepEqual(result.warnings, [`The adapters of "other/base" were trained on another base model than ${modelPath} and have no PEFT copy: select that model and export again to convert them.`]);
    assert.ok(result.files.includes("adapters/greet.peft/adapter_model.safetensors"));

    const folder = path.join(out, "adapters/greet.peft");
    const config = JSON.parse(await readFile(path.join(folder, "adapter_config.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual(
        {peft_type: config.peft_type, r: config.r, lora_alpha: config.lora_alpha, target_modules: config.target_modules, rank_pattern: config.rank_pattern, fan_in_fan_out: config.fan_in_fan_out, base_model_name_or_path: config.base_model_name_or_path},
        {peft_type: "LORA", r: 2, lora_alpha: 16, target_modules: ["q_proj", "k_proj", "lm_head"], rank_pattern: {lm_head: 3}, fan_in_fan_out: false, base_model_name_or_path: "fake"}
    );
    assert.deepEqual(JSON.parse(await readFile(path.join(folder, "conpet.json"), "utf8")), {format: "conpet-peft-v1", task: "greet", baseModel: {fingerprint: base.fingerprint, architecture: "llama", name: "fake"}});
    const weights = await readSafetensors(path.join(folder, "adapter_model.safetensors"));
    assert.deepEqual([...weights.keys()], [
        "base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight", "base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight",
        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
        "base_model.model.lm_head.lora_A.weight", "base_model.model.lm_head.lora_B.weight"
    ]);
    // PEFT shapes: A [r, in], B [out, r]; A and the output layer's B are the GGUF bytes.
    assert.deepEqual(weights.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"), {shape: [2, 8], data: tensors[2]!.data});
    assert.deepEqual(weights.get("base_model.model.lm_head.lora_B.weight"), {shape: [16, 3], data: tensors[5]!.data});
    // k has one key-value head of 4 rows: GGUF rows [0 1 2 3] (interleaved) are Hugging Face rows [0 2 1 3].
    const kB = weights.get("base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight")!;
    assert.deepEqual(kB.shape, [4, 2]);
    assert.deepEqual(Array.from({length: 4}, (_, row) => (kB.data[row * 2]! - 100) / 2), [0, 2, 1, 3]);

    const imported = await importAdapter(store, {task: "copy", adapterPath: folder, modelPath});
    assert.deepEqual(await readFile(store.resolveModulePath(imported.module)), await readFile(original), "export then import gives the original adapter file");
});
