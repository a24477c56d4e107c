// Import Adapter… in the real extension host: a PEFT adapter written here becomes a task's module,
// which Run Task then answers with through the engine; an adapter of another architecture is refused.
import assert from "node:assert/strict";
import path from "node:path";
import {writeGgufAdapter} from "../../src/core/adapters/gguf/writeGgufAdapter";
import {createSeededUniform} from "../unit/engineGgufFixtures";
import {writePeftFolder} from "../unit/adapters/adapterFixtures";
import {activateExtension} from "./builders/activateExtension";
import {getTestModelPath} from "./builders/getTestModelPath";
import {runCommand} from "./builders/runCommand";
import {setConpetSettings} from "./builders/settings";
import {createTempFolder} from "./builders/tempFolder";
import {getLastError, getTaskStatus} from "./builders/testHooks";
import {uniqueName} from "./builders/uniqueName";

suite("Import Adapter…", function () {
    this.timeout(300_000);
    let restoreSettings: () => Promise<void>;
    const temp = createTempFolder();
    const task = uniqueName("imported");

    suiteSetup(async () => {
        await activateExtension();
        const modelPath = getTestModelPath();
        assert.ok(modelPath, "the reference model stories260K.gguf is missing (set CONPET_TEST_MODEL_PATH)");
        restoreSettings = await setConpetSettings({modelPath: "", threads: 1, gpuLayers: 0});
        await runCommand("conpet.selectModel", {path: modelPath, load: true});
        await runCommand("conpet.createTask", {name: task, instruction: "Answer yes or no", labels: ["yes", "no"]});
        await runCommand("conpet.addSelectionToTask", {task, input: "is it done?", output: "yes"});
    });

    suiteTeardown(async () => {
        await runCommand("conpet.deleteTask", {task, confirmed: true}).catch(() => undefined);
        temp.dispose();
        await restoreSettings?.();
    });

    test("a PEFT adapter becomes the task's ready module and Run Task answers with it", async () => {
        // stories260K: 64 features, q 64 → 64, v 64 → 32 (4 key-value heads of 8).
        const random = createSeededUniform(3, 0.2);
        const folder = await writePeftFolder(path.join(temp.path, "peft"), {r: 2, lora_alpha: 4, target_modules: ["q_proj", "v_proj"]}, {
            "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": {shape: [2, 64], data: Float32Array.from({length: 128}, random)},
            "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight": {shape: [64, 2], data: Float32Array.from({length: 128}, random)},
            "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight": {shape: [2, 64], data: Float32Array.from({length: 128}, random)},
            "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight": {shape: [32, 2], data: Float32Array.from({length: 64}, random)}
        });
        const result = await runCommand<{format: string; module: {id: number; targetModules: string[]}}>("conpet.importAdapter", {task, path: folder});
        assert.equal(result.format, "peft");
        assert.deepEqual(result.module.targetModules, ["q", "v"]);
        const status = await getTaskStatus(task);
        assert.equal(status?.state, "ready");
        assert.equal(status?.moduleId, result.module.id);

        const answer = await runCommand<{output: string; moduleId: number | null}>("conpet.runTask", {task, input: "is it done?", mode: "show"});
        assert.equal(answer.moduleId, result.module.id, "the answer came from the imported module");
        assert.ok(["yes", "no"].includes(answer.output), answer.output);
    });

    test("an adapter of another architecture is refused with ADAPTER_MISMATCH", async () => {
        const file = path.join(temp.path, "qwen.gguf");
        await writeGgufAdapter(file, {architecture: "qwen2", alpha: 4, tensors: [
            {name: "blk.0.attn_q.weight.lora_a", dimensions: [64, 2], data: new Float32Array(128)},
            {name: "blk.0.attn_q.weight.lora_b", dimensions: [2, 64], data: new Float32Array(128)}
        ]});
        const before = (await getTaskStatus(task))?.moduleId;
        await assert.rejects(runCommand("conpet.importAdapter", {task, path: file}));
        assert.equal((await getLastError())?.code, "ADAPTER_MISMATCH");
        assert.equal((await getTaskStatus(task))?.moduleId, before, "the task keeps its module");
    });
});
