import assert from "node:assert/strict";
import {cp, readFile, writeFile, mkdir} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import {importExamples} from "../../src/core/importExport/importExamples";
import {testDataDirectory} from "../utils/modelFiles";
import {openTempStore} from "./store/openTempStore";
import {createTempDirectory} from "./store/createTempDirectory";

const codeLang = path.join(testDataDirectory, "code-lang");

async function countLines(file: string): Promise<number> {
    return (await readFile(file, "utf8")).split("\n").filter((line) => line.trim() !== "").length;
}

/** A writable copy of the code-lang suite to break. */
async function copySuite(t: import("node:test").TestContext): Promise<string> {
    const copy = path.join(await createTempDirectory(t, "conpet-suite-"), "code-lang");
    await cp(codeLang, copy, {recursive: true});
    return copy;
}

test("imports a real suite: tasks in arrival order with instruction, kind, labels, and every sample", async (t) => {
    const store = await openTempStore(t);
    const result = await importExamples(store, codeLang);
    assert.equal(result.format, "suite");
    const suite = JSON.parse(await readFile(path.join(codeLang, "suite.json"), "utf8")) as {tasks: string[]};
    assert.deepEqual((await store.listTasks()).map((task) => task.name), suite.tasks);

    const first = await store.getTask("langs-1");
    const definition = JSON.parse(await readFile(path.join(codeLang, "langs-1/task.json"), "utf8")) as {description: string; labels: string[]};
    assert.equal(first.instruction, definition.description);
    assert.equal(first.kind, "classify");
    assert.deepEqual(first.labels, definition.labels);
    for (const name of suite.tasks) {
        const task = await store.getTask(name);
        assert.equal(await store.countSamples({taskId: task.id, split: "train"}), await countLines(path.join(codeLang, name, "train.jsonl")));
        assert.equal(await store.countSamples({taskId: task.id, split: "test"}), await countLines(path.join(codeLang, name, "test.jsonl")));
    }
    const [sample] = await store.listSamples(first.id, {limit: 1});
    assert.deepEqual(sample!.source, {kind: "import", file: path.join(codeLang, "langs-1/train.jsonl")});
    assert.deepEqual(result.tasks.map((task) => task.created), [true, true, true, true]);
});

test("a malformed line anywhere names the file and line, and imports nothing", async (t) => {
    const suite = await copySuite(t);
    const file = path.join(suite, "langs-3/train.jsonl");
    const lines = (await readFile(file, "utf8")).split("\n");
    lines[6] = "{\"input\": \"broken";
    await writeFile(file, lines.join("\n"));
    const store = await openTempStore(t);
    await assert.rejects(importExamples(store, suite), (err) => {
        assert.ok(ConpetError.is(err, "INVALID_INPUT"));
        assert.ok(err.message.startsWith(`${file}:7: not valid JSON`), err.message);
        return true;
    });
    assert.deepEqual(await store.listTasks(), [], "langs-1 and langs-2, read before the bad line, were not imported either");
    assert.equal(await store.countSamples(), 0);
});

test("an output that is not one of the task's labels is refused with file and line", async (t) => {
    const suite = await copySuite(t);
    const file = path.join(suite, "langs-2/test.jsonl");
    const lines = (await readFile(file, "utf8")).split("\n");
    lines[2] = JSON.stringify({input: "print('hi')", output: "python"});
    await writeFile(file, lines.join("\n"));
    const store = await openTempStore(t);
    await assert.rejects(importExamples(store, suite), (err) => ConpetError.is(err, "INVALID_INPUT") &&
        err.message.startsWith(`${file}:3: output "python" is not a label of task "langs-2" (java, javascript, ruby, shell).`));
    assert.equal(await store.countSamples(), 0);
});

test("a suite whose task exists already fails as a whole with TASK_EXISTS", async (t) => {
    const store = await openTempStore(t);
    await store.createTask({name: "langs-3", instruction: "mine", kind: "generate"});
    await assert.rejects(importExamples(store, codeLang), (err) => ConpetError.is(err, "TASK_EXISTS"));
    assert.deepEqual((await store.listTasks()).map((task) => task.name), ["langs-3"]);
    assert.equal(await store.countSamples(), 0);
});

test("--task imports one task of a suite; a one-task folder imports too", async (t) => {
    const store = await openTempStore(t);
    const result = await importExamples(store, codeLang, {task: "langs-2"});
    assert.deepEqual(result.tasks.map((task) => task.name), ["langs-2"]);
    await assert.rejects(importExamples(store, codeLang, {task: "nope"}), /has no task named "nope"/);

    const single = await importExamples(store, path.join(codeLang, "langs-4"), {cap: 100, seed: 7});
    assert.deepEqual(single.tasks.map(({name, added, evicted}) => ({name, stored: added - evicted})), [{name: "langs-4", stored: 100 + single.tasks[0]!.test}]);
    assert.equal(await store.countSamples({taskId: single.tasks[0]!.taskId, split: "train"}), 100);
});

test("a suite named by a relative path (as on a command line) imports like its absolute path", async (t) => {
    const store = await openTempStore(t);
    const relative = path.relative(process.cwd(), codeLang);
    assert.ok(!path.isAbsolute(relative));
    const result = await importExamples(store, relative, {task: "langs-2"});
    assert.deepEqual(result.tasks.map((task) => task.name), ["langs-2"]);
});

test("suite.json cannot point outside the suite, and a folder without suite.json or task.json is refused", async (t) => {
    const suite = await copySuite(t);
    await writeFile(path.join(suite, "suite.json"), JSON.stringify({name: "x", tasks: ["langs-1", "../../outside"]}));
    const store = await openTempStore(t);
    await assert.rejects(importExamples(store, suite), /task folder "..\/..\/outside" is not a folder directly inside the suite/);
    const empty = path.join(await createTempDirectory(t), "empty");
    await mkdir(empty);
    await assert.rejects(importExamples(store, empty), /is not a suite: it has neither suite\.json nor task\.json/);
    await assert.rejects(importExamples(store, path.join(empty, "missing")), /no such file or folder/);
    assert.deepEqual(await store.listTasks(), []);
});

test("a task.json with a bad definition names the file", async (t) => {
    const suite = await copySuite(t);
    const taskFile = path.join(suite, "langs-1/task.json");
    await writeFile(taskFile, JSON.stringify({name: "langs-1", description: "x", kind: "classify", labels: ["only-one"]}));
    const store = await openTempStore(t);
    await assert.rejects(importExamples(store, suite), (err) => ConpetError.is(err, "INVALID_INPUT") && err.message.startsWith(`${taskFile}: A classify task needs at least two labels`));
});
