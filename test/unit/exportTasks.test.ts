import assert from "node:assert/strict";
import {readdir, readFile, unlink, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {exportTasks} from "../../src/core/importExport/exportTasks";
import type {ChatExample, PromptExample} from "../../src/core/importExport/exportTasks";
import {importExamples} from "../../src/core/importExport/importExamples";
import {ConpetStore} from "../../src/store/ConpetStore";
import {createTempDirectory} from "./store/createTempDirectory";

async function readJsonLines<T>(file: string): Promise<T[]> {
    return (await readFile(file, "utf8")).split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as T);
}

test("export writes a re-importable suite, chat-format JSONL and GGUF adapters under sanitised names", async (t) => {
    const root = await createTempDirectory(t);
    const store = await ConpetStore.open({directory: path.join(root, "store")});
    t.after(() => store.dispose());
    // Two names that sanitise alike, and one that would escape the folder.
    const slash = await store.createTask({name: "log/level", instruction: "Classify this log line", kind: "classify", labels: ["error", "info"]});
    const colon = await store.createTask({name: "log:level", instruction: "Classify again", kind: "classify", labels: ["error", "info"]});
    const escape = await store.createTask({name: "../adapters", instruction: "Convert to camelCase", kind: "generate"});
    await store.addSamples(slash.id, [{input: "disk full", output: "error"}, {input: "up", output: "info", split: "test"}]);
    await store.addSamples(colon.id, [{input: "ok", output: "info"}]);
    await store.addSamples(escape.id, [{input: "read_file", output: "readFile"}]);
    const adapterBytes = Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(64, 7)]);
    const trainerOut = path.join(root, "trainer-out.gguf");
    await writeFile(trainerOut, adapterBytes);
    await store.registerModule({
        sourceFile: trainerOut, taskId: slash.id, kind: "task-lora", baseModelFingerprint: "fp", rank: 4, alpha: 8,
        targetModules: ["q"], trainableParameters: 10, metrics: {}, samplesHash: await store.getSamplesHash(slash.id)
    });

    const out = path.join(root, "export");
    const result = await exportTasks(store, {outDir: out});
    assert.deepEqual(result.tasks.map(({name, folder, adapter}) => ({name, folder, adapter})), [
        {name: "log/level", folder: "log_level", adapter: "adapters/log_level.gguf"},
        {name: "log:level", folder: "log_level-2", adapter: null},
        {name: "../adapters", folder: "adapters-2", adapter: null}
    ]);
    assert.deepEqual((await readdir(out)).sort(), ["adapters", "adapters-2", "log_level", "log_level-2", "suite.json"]);
    assert.deepEqual(await readFile(path.join(out, "adapters/log_level.gguf")), adapterBytes);

    const chat = await readJsonLines<ChatExample>(path.join(out, "log_level/train.chat.jsonl"));
    assert.deepEqual(chat, [{messages: [
        {role: "system", content: "Classify this log line\nAnswer with one of: error, info."},
        {role: "user", content: "disk full"},
        {role: "assistant", content: "error"}
    ]}]);
    assert.deepEqual(await readJsonLines(path.join(out, "log_level/test.jsonl")), [{input: "up", output: "info"}]);
    // The text the module learns: the prompt and the completion (label and its terminator).
    assert.deepEqual(await readJsonLines<PromptExample>(path.join(out, "log_level/train.prompt.jsonl")), [{prompt: "Classify this log line\nInput: disk full\nAnswer:", completion: "error\n"}]);
    assert.deepEqual((await readJsonLines<ChatExample>(path.join(out, "adapters-2/train.chat.jsonl")))[0]!.messages[0], {role: "system", content: "Convert to camelCase"});

    // Round trip: the exported suite imports into a fresh store with the same names and samples.
    const copy = await ConpetStore.open({directory: path.join(root, "copy")});
    t.after(() => copy.dispose());
    await importExamples(copy, out);
    assert.deepEqual((await copy.listTasks()).map(({name, instruction, kind, labels}) => ({name, instruction, kind, labels})),
        (await store.listTasks()).map(({name, instruction, kind, labels}) => ({name, instruction, kind, labels})));
    for (const task of await store.listTasks())
        assert.equal(await copy.getSamplesHash((await copy.getTask(task.name)).id), await store.getSamplesHash(task.id));
});

test("export of one task writes only that task", async (t) => {
    const root = await createTempDirectory(t);
    const store = await ConpetStore.open({directory: path.join(root, "store")});
    t.after(() => store.dispose());
    await store.createTask({name: "a", instruction: "A", kind: "generate"});
    const b = await store.createTask({name: "b", instruction: "B", kind: "generate"});
    await store.addSamples(b.id, [{input: "x", output: "y"}]);
    const result = await exportTasks(store, {outDir: path.join(root, "out"), task: "b"});
    assert.deepEqual(result.tasks.map((task) => task.name), ["b"]);
    assert.deepEqual(JSON.parse(await readFile(path.join(root, "out/suite.json"), "utf8")).tasks, ["b"]);
    await assert.rejects(exportTasks(store, {outDir: path.join(root, "out2"), task: "zzz"}), /No task named "zzz"/);
});

test("export survives hostile valid names (suite.json, 100 three-byte and 100 four-byte letters) and a deleted adapter, and re-imports", async (t) => {
    const root = await createTempDirectory(t);
    const store = await ConpetStore.open({directory: path.join(root, "store")});
    t.after(() => store.dispose());
    const names = ["suite.json", "語".repeat(100), "𐌰".repeat(100), "SUITE.JSON"];
    for (const name of names) {
        const task = await store.createTask({name, instruction: "Repeat", kind: "generate"});
        await store.addSamples(task.id, [{input: "in", output: "out"}]);
        const trainerOut = path.join(root, "trainer-out.gguf");
        await writeFile(trainerOut, Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(16, 1)]));
        await store.registerModule({
            sourceFile: trainerOut, taskId: task.id, kind: "task-lora", baseModelFingerprint: "fp", rank: 4, alpha: 8,
            targetModules: ["q"], trainableParameters: 10, metrics: {}, samplesHash: await store.getSamplesHash(task.id)
        });
    }
    const lost = (await store.getModule((await store.getTask("SUITE.JSON")).id, "task-lora"))!;
    await unlink(store.resolveModulePath(lost));

    const out = path.join(root, "export");
    const result = await exportTasks(store, {outDir: out});
    assert.deepEqual(result.tasks.map((task) => task.folder.slice(0, 12)), ["suite.json-2", "語".repeat(12), "𐌰".repeat(6), "SUITE.JSON-3"]);
    for (const task of result.tasks)
        assert.ok(Buffer.byteLength(task.folder) <= 120, task.folder);
    assert.deepEqual(result.tasks.map((task) => task.adapter !== null), [true, true, true, false]);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /"SUITE\.JSON" was left out: its file is missing/);

    const copy = await ConpetStore.open({directory: path.join(root, "copy")});
    t.after(() => copy.dispose());
    await importExamples(copy, out);
    assert.deepEqual((await copy.listTasks()).map((task) => task.name), names);
});
