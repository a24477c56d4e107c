import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdtemp, readdir, readFile, rm, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import {ConpetError} from "../../../src/vocabulary/errors";
import {ConpetStore} from "../../../src/store/ConpetStore";
import type {RegisterModuleOptions} from "../../../src/store/types";
import {createTempDirectory} from "./createTempDirectory";

const here = path.dirname(fileURLToPath(import.meta.url));

function moduleOptions(sourceFile: string, taskId: number | null, samplesHash = "h1"): RegisterModuleOptions {
    return {
        sourceFile, taskId, kind: taskId === null ? "shared-lora" : "task-lora", baseModelFingerprint: "fp", rank: 8, alpha: 16,
        targetModules: ["q", "v"], trainableParameters: 1234, metrics: {finalLoss: 0.5}, samplesHash
    };
}

async function writeAdapter(directory: string, name: string, content: string): Promise<string> {
    const file = path.join(directory, name);
    await writeFile(file, content);
    return file;
}

test("registerModule moves the file in, replaces the previous module of the task, and deletes the old file", async (t) => {
    const directory = await createTempDirectory(t);
    const outside = await createTempDirectory(t, "conpet-trainer-out-");
    const store = await ConpetStore.open({directory});
    t.after(() => store.dispose());
    const task = await store.createTask({name: "../../etc/passwd: a task?", instruction: "x", kind: "generate"});

    const first = await store.registerModule(moduleOptions(await writeAdapter(outside, "a.gguf", "first adapter"), task.id));
    const firstPath = store.resolveModulePath(first);
    assert.equal(path.dirname(firstPath), store.adaptersDirectory, "the task name never escapes adapters/");
    assert.match(path.basename(firstPath), new RegExp(`^task-${task.id}\\.task-lora\\.[0-9a-z]+\\.gguf$`), "named by id, never by the task's name");
    assert.equal(await readFile(firstPath, "utf8"), "first adapter");
    assert.equal(first.sizeBytes, "first adapter".length);
    assert.deepEqual(first.metrics, {finalLoss: 0.5});
    assert.equal(existsSync(path.join(outside, "a.gguf")), false, "the source was moved");

    const second = await store.registerModule(moduleOptions(await writeAdapter(outside, "b.gguf", "second"), task.id, "h2"));
    assert.deepEqual(await store.listModules(), [second]);
    assert.deepEqual(await store.getModule(task.id, "task-lora"), second);
    assert.equal(existsSync(firstPath), false, "the replaced adapter file is removed");
    assert.equal(await readFile(store.resolveModulePath(second), "utf8"), "second");

    const shared = await store.registerModule(moduleOptions(await writeAdapter(outside, "s.gguf", "shared"), null));
    assert.deepEqual((await store.listModules()).map((module) => module.kind), ["task-lora", "shared-lora"]);

    await store.deleteTask(task.id);
    assert.deepEqual(await store.listModules(), [shared]);
    assert.deepEqual(await readdir(store.adaptersDirectory), [path.basename(store.resolveModulePath(shared))]);
});

test("a failing insert leaves no file in adapters/ and puts the source back", async (t) => {
    const directory = await createTempDirectory(t);
    const store = await ConpetStore.open({directory});
    t.after(() => store.dispose());
    const source = await writeAdapter(await createTempDirectory(t, "conpet-trainer-out-"), "orphan.gguf", "weights");

    // Task 42 does not exist: the foreign key fails inside the transaction, after the file was staged.
    await assert.rejects(store.registerModule(moduleOptions(source, 42)), (err) => ConpetError.is(err, "TASK_NOT_FOUND"));
    assert.deepEqual(await readdir(store.adaptersDirectory), []);
    assert.deepEqual(await store.listModules(), []);
    assert.equal(await readFile(source, "utf8"), "weights");

    await assert.rejects(store.registerModule(moduleOptions(path.join(directory, "missing.gguf"), null)), (err) => ConpetError.is(err, "INVALID_INPUT"));
});

test("a process killed while registering leaves neither a registered module nor a stray file; its run is failed", async (t) => {
    const directory = await createTempDirectory(t);
    const source = await writeAdapter(await createTempDirectory(t, "conpet-trainer-out-"), "adapter.gguf", "half");
    const child = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "fixtures/dieWhileRegistering.ts"), directory, source], {encoding: "utf8"});
    assert.equal(child.signal, "SIGKILL", child.stderr);
    assert.equal(child.stdout, "staged\n");
    const leftovers = await readdir(path.join(directory, "adapters"));
    assert.equal(leftovers.length, 1);
    assert.match(leftovers[0]!, new RegExp(`^killed\\.task-lora\\.gguf\\.${child.pid}\\.tmp$`));

    const store = await ConpetStore.open({directory});
    t.after(() => store.dispose());
    assert.deepEqual(await readdir(store.adaptersDirectory), [], "the dead process's temp file is cleaned at open");
    assert.deepEqual(await store.listModules(), []);
    const [run] = await store.listRuns();
    assert.equal(run?.status, "failed");
    assert.match(run?.error ?? "", /ended before it finished/);
});

test("open keeps temp files and runs of processes that are still alive", async (t) => {
    const directory = await createTempDirectory(t);
    const store = await ConpetStore.open({directory});
    t.after(() => store.dispose());
    const run = await store.startRun();
    // This process is alive: a second store on the same folder (the CLI beside the extension) must not touch its work.
    const ownTemp = path.join(store.adaptersDirectory, `busy.task-lora.gguf.${process.pid}.tmp`);
    await writeFile(ownTemp, "in progress");
    const second = await ConpetStore.open({directory});
    t.after(() => second.dispose());
    assert.equal(existsSync(ownTemp), true);
    assert.equal((await second.listRuns())[0]?.id, run.id);
    assert.equal((await second.listRuns())[0]?.status, "running");
});

test("an adapter on another file system is copied in, flushed, and the source removed after the commit", async (t) => {
    const directory = await createTempDirectory(t);
    // /dev/shm is a tmpfs on Linux: a rename from there into the store fails with EXDEV.
    const other = existsSync("/dev/shm") ? await mkdtemp("/dev/shm/conpet-other-fs-").catch(() => undefined) : undefined;
    if (other === undefined || (await stat(other)).dev === (await stat(directory)).dev) {
        t.skip("no second file system (/dev/shm) on this machine");
        return;
    }
    t.after(() => rm(other, {recursive: true, force: true}));
    const store = await ConpetStore.open({directory});
    t.after(() => store.dispose());
    const task = await store.createTask({name: "t", instruction: "x", kind: "generate"});
    const source = await writeAdapter(other, "adapter.gguf", "copied across devices");
    const module = await store.registerModule(moduleOptions(source, task.id));
    assert.equal(await readFile(store.resolveModulePath(module), "utf8"), "copied across devices");
    assert.equal(existsSync(source), false);
    assert.deepEqual(await readdir(store.adaptersDirectory), [path.basename(store.resolveModulePath(module))]);
});

test("two stores on one folder (the extension and the CLI) write at the same time without losing rows", async (t) => {
    const directory = await createTempDirectory(t);
    const first = await ConpetStore.open({directory});
    t.after(() => first.dispose());
    const second = await ConpetStore.open({directory});
    t.after(() => second.dispose());
    const task = await first.createTask({name: "t", instruction: "x", kind: "generate"});
    const batch = (prefix: string) => Array.from({length: 200}, (_, i) => ({input: `${prefix} ${i}`, output: "o"}));
    await Promise.all(Array.from({length: 10}, (_, i) => (i % 2 === 0 ? first : second).addSamples(task.id, batch(`b${i}`))));
    assert.equal(await second.countSamples(), 2000);
    assert.equal(await first.countSamples(), 2000);
});
