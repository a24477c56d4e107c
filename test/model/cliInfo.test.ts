import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import {getTestModelPath} from "../utils/modelFiles";

const cliPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/cli.mjs");

function conpet(args: readonly string[]) {
    return spawnSync(process.execPath, [cliPath, ...args], {encoding: "utf8", env: {...process.env, CONPET_STORE: ""}});
}

test("conpet info --model loads the model in the engine and reports it with the backend", async (t) => {
    const store = await mkdtemp(path.join(os.tmpdir(), "conpet-cli-model-"));
    t.after(() => rm(store, {recursive: true, force: true}));
    const modelPath = getTestModelPath();
    const run = conpet(["--store", store, "info", "--model", modelPath, "--threads", "1", "--json"]);
    assert.equal(run.status, 0, run.stderr);
    const info = JSON.parse(run.stdout) as {tasks: number; model: {modelPath: string; architecture: string; backend: string; layers: number; parameters: number}};
    assert.equal(info.tasks, 0);
    assert.equal(info.model.modelPath, modelPath);
    assert.equal(info.model.architecture, "llama");
    assert.ok(["cuda", "vulkan", "metal", "cpu"].includes(info.model.backend), info.model.backend);
    assert.ok(info.model.layers > 0 && info.model.parameters > 0);

    const people = conpet(["--store", store, "info", "--model", modelPath, "--threads", "1", "--gpu-layers", "0"]);
    assert.equal(people.status, 0, people.stderr);
    assert.match(people.stdout, /^backend:\s+cpu$/m);
    assert.match(people.stdout, /^architecture:\s+llama$/m);
    assert.match(people.stdout, /^threads:\s+1$/m);
});

test("conpet info --model refuses a file that is not GGUF with exit 1 and one line", async (t) => {
    const directory = await mkdtemp(path.join(os.tmpdir(), "conpet-cli-model-"));
    t.after(() => rm(directory, {recursive: true, force: true}));
    const notModel = path.join(directory, "notes.gguf");
    await writeFile(notModel, "just text, not weights\n".repeat(100));
    const run = conpet(["--store", path.join(directory, "store"), "info", "--model", notModel]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^conpet: .*notes\.gguf is not a GGUF file/m);
    assert.equal(conpet(["--store", path.join(directory, "store"), "info", "--model", path.join(directory, "missing.gguf")]).status, 1);
});
