import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import path from "node:path";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import {createCountingData, writeFakeBaseModel, writePeftFolder} from "../adapters/adapterFixtures";
import {createTempDirectory} from "../store/createTempDirectory";

const cliPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../dist/cli.mjs");

function conpet(args: readonly string[]): {code: number | null; stdout: string; stderr: string} {
    const result = spawnSync(process.execPath, [cliPath, ...args], {encoding: "utf8", env: {...process.env, CONPET_STORE: ""}});
    return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

test("conpet import-adapter makes a PEFT adapter a task's module, and export --model writes it back as PEFT", async (t) => {
    const directory = await createTempDirectory(t);
    const store = path.join(directory, "store");
    const model = path.join(directory, "base.gguf");
    await writeFakeBaseModel(model);
    const folder = await writePeftFolder(path.join(directory, "peft"), {r: 1, lora_alpha: 2}, {
        "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight": {shape: [1, 8], data: createCountingData(8)},
        "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight": {shape: [4, 1], data: createCountingData(4)}
    });

    assert.equal(conpet(["--store", store, "task", "add", "greet", "-i", "Say hello", "--kind", "generate"]).code, 0);
    const usage = conpet(["--store", store, "import-adapter", folder, "--model", model]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Missing --task NAME/);

    const imported = conpet(["--store", store, "import-adapter", folder, "--task", "greet", "--model", model]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /format: +PEFT \(converted to GGUF\)/);
    assert.match(imported.stdout, /Imported the adapter as the module of "greet"\./);

    const mismatch = conpet(["--store", store, "import-adapter", model, "--task", "greet", "--model", model, "--json"]);
    assert.equal(mismatch.code, 1);
    assert.equal((JSON.parse(mismatch.stdout) as {error: {code: string}}).error.code, "ADAPTER_INVALID");

    const exported = conpet(["--store", store, "export", "--out", path.join(directory, "out"), "--model", model, "--json"]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((JSON.parse(exported.stdout) as {tasks: {peftAdapter: string | null}[]}).tasks[0]?.peftAdapter, "adapters/greet.peft");
});
