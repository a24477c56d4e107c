import assert from "node:assert/strict";
import {truncate, unlink, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {getReadyTaskIds, getTaskModuleStates} from "../../../src/core/moduleStates/getTaskModuleStates";
import type {ConpetStore} from "../../../src/store/ConpetStore";
import {createTempDirectory} from "./createTempDirectory";
import {openTempStore} from "./openTempStore";

type Kind = "task-lora" | "shared-lora";

async function register(store: ConpetStore, directory: string, {taskId, kind = "task-lora", fingerprint, samplesHash}: {taskId: number | null; kind?: Kind; fingerprint: string; samplesHash: string}) {
    const sourceFile = path.join(directory, `${Math.random().toString(36).slice(2)}.gguf`);
    await writeFile(sourceFile, "GGUF and some adapter weights");
    return store.registerModule({sourceFile, taskId, kind, baseModelFingerprint: fingerprint, rank: 2, alpha: 4, targetModules: ["q"], trainableParameters: 8, metrics: {}, samplesHash});
}

async function statesOf(store: ConpetStore, fingerprint: string | undefined, mode: "dynamic" | "static" = "dynamic") {
    const states = await getTaskModuleStates(store, {mode, baseModelFingerprint: fingerprint});
    return Object.fromEntries(states.map((status) => [status.task.name, status.reason === undefined ? status.state : `${status.state}:${status.reason}`]));
}

test("module states: ready, stale (samples or another base model), missing (file deleted or cut), untrained; bases coexist", async (t) => {
    const store = await openTempStore(t);
    const outside = await createTempDirectory(t, "conpet-adapters-");
    const tasks = [];
    for (const name of ["a", "b", "c", "d"]) {
        const task = await store.createTask({name, instruction: "x", kind: "generate"});
        await store.addSamples(task.id, [{input: `${name} in`, output: `${name} out`}]);
        tasks.push(task);
    }
    const [a, b, c] = tasks as [typeof tasks[number], typeof tasks[number], typeof tasks[number]];
    for (const task of [a, b, c])
        await register(store, outside, {taskId: task.id, fingerprint: "small", samplesHash: await store.getSamplesHash(task.id)});
    assert.deepEqual(await statesOf(store, "small"), {a: "ready", b: "ready", c: "ready", d: "untrained"});

    // Another base model: nothing of "small" is ready for it, and nothing is replaced when it trains.
    assert.deepEqual(await statesOf(store, "large"), {a: "stale:other-base-model", b: "stale:other-base-model", c: "stale:other-base-model", d: "untrained"});
    assert.deepEqual((await getTaskModuleStates(store, {mode: "dynamic", baseModelFingerprint: "large"})).find((status) => status.task.id === a.id)?.otherBaseModels, ["small"]);
    await register(store, outside, {taskId: a.id, fingerprint: "large", samplesHash: await store.getSamplesHash(a.id)});
    assert.deepEqual(await getReadyTaskIds(store, {mode: "dynamic", baseModelFingerprint: "large"}), [a.id]);
    assert.deepEqual(await getReadyTaskIds(store, {mode: "dynamic", baseModelFingerprint: "small"}), [a.id, b.id, c.id], "switching back finds the modules ready");
    assert.equal((await store.listModules({baseModelFingerprint: "small"})).length, 3);
    assert.equal((await store.getModule(a.id, "task-lora", "large"))?.baseModelFingerprint, "large");

    await store.addSamples(b.id, [{input: "b new", output: "b out"}]);
    const cModule = (await store.getModule(c.id, "task-lora", "small"))!;
    await unlink(store.resolveModulePath(cModule));
    assert.deepEqual(await statesOf(store, "small"), {a: "ready", b: "stale:samples-changed", c: "missing:file-missing", d: "untrained"});
    await writeFile(store.resolveModulePath(cModule), "GGUF and some adapter weights");
    assert.equal(await store.checkModuleFile(cModule), "present");
    await truncate(store.resolveModulePath(cModule), 10);
    assert.equal((await statesOf(store, "small")).c, "missing:file-damaged");
    await writeFile(store.resolveModulePath(cModule), "not a GGUF at all, same length.");
    assert.equal(await store.checkModuleFile({...cModule, sizeBytes: "not a GGUF at all, same length.".length}), "damaged");
});

test("module states of a shared LoRA: the tasks it learned, in learning order, per base model", async (t) => {
    const store = await openTempStore(t);
    const outside = await createTempDirectory(t, "conpet-adapters-");
    const first = await store.createTask({name: "first", instruction: "x", kind: "generate"});
    const second = await store.createTask({name: "second", instruction: "x", kind: "generate"});
    for (const task of [first, second])
        await store.addSamples(task.id, [{input: "in", output: task.name}]);
    const learned = {tasks: [{id: second.id, hash: await store.getSamplesHash(second.id)}, {id: first.id, hash: await store.getSamplesHash(first.id)}]};
    await register(store, outside, {taskId: null, kind: "shared-lora", fingerprint: "small", samplesHash: JSON.stringify(learned)});
    assert.deepEqual(await getReadyTaskIds(store, {mode: "static", baseModelFingerprint: "small"}), [second.id, first.id]);
    assert.deepEqual(await statesOf(store, "large", "static"), {first: "stale:other-base-model", second: "stale:other-base-model"});
    const shared = (await store.getModule(null, "shared-lora", "small"))!;
    await unlink(store.resolveModulePath(shared));
    assert.deepEqual(await statesOf(store, "small", "static"), {second: "missing:file-missing", first: "missing:file-missing"});
});

test("module states: sample counts, the last trained base model without a fingerprint, and `training` from the caller", async (t) => {
    const store = await openTempStore(t);
    const outside = await createTempDirectory(t, "conpet-adapters-");
    const first = await store.createTask({name: "first", instruction: "x", kind: "generate"});
    const second = await store.createTask({name: "second", instruction: "x", kind: "generate"});
    await store.addSamples(first.id, [{input: "a", output: "b"}, {input: "c", output: "d"}, {input: "e", output: "f", split: "test"}]);
    await store.addSamples(second.id, [{input: "g", output: "h"}]);
    assert.deepEqual(await statesOf(store, undefined), {first: "untrained", second: "untrained"}, "no module of any base model yet");

    await register(store, outside, {taskId: first.id, fingerprint: "small", samplesHash: await store.getSamplesHash(first.id)});
    await register(store, outside, {taskId: second.id, fingerprint: "large", samplesHash: await store.getSamplesHash(second.id)});
    // Without a fingerprint, judged for the base model of the newest module: "large".
    assert.deepEqual(await statesOf(store, undefined), {first: "stale:other-base-model", second: "ready"});
    assert.deepEqual(await statesOf(store, undefined, "static"), {first: "untrained", second: "untrained"}, "static counts only the shared LoRA");

    const asked: string[] = [];
    const statuses = await getTaskModuleStates(store, {
        mode: "dynamic",
        baseModelFingerprint: "small",
        isTraining: (status) => {
            asked.push(`${status.task.name}:${status.state}`);
            return status.task.id === second.id;
        }
    });
    assert.deepEqual(asked, ["first:ready", "second:stale"], "asked in task order, with the state without the training");
    assert.deepEqual(statuses.map(({task, state, reason, trainSamples, testSamples, otherBaseModels}) => [task.name, state, reason, trainSamples, testSamples, otherBaseModels]), [
        ["first", "ready", undefined, 2, 1, []],
        ["second", "training", "other-base-model", 1, 0, ["large"]]
    ]);
});
