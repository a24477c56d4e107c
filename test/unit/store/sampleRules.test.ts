import assert from "node:assert/strict";
import {test} from "node:test";
import {ConpetError} from "../../../src/vocabulary/errors";
import {maxSampleChars} from "../../../src/vocabulary/maxSampleChars";
import {openTempStore} from "./openTempStore";

test("samples: a duplicate (same input, output and split) is skipped and counted, also within one batch", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({name: "levels", instruction: "Classify", kind: "classify", labels: ["error", "info"]});
    const file = [{input: "disk failed", output: "error"}, {input: "started", output: "info"}, {input: "started", output: "info", split: "test" as const}];
    assert.deepEqual(await store.addSamples(task.id, file), {added: 3, evicted: 0, skipped: 0, duplicates: 0});
    // Importing the same file twice adds nothing.
    assert.deepEqual(await store.addSamples(task.id, file), {added: 0, evicted: 0, skipped: 0, duplicates: 3});
    const [result] = await store.importBatches([{task: {...task}, create: false, samples: [{input: "stopped", output: "info"}, {input: "stopped", output: "info"}, {input: "stopped", output: "error"}]}]);
    assert.equal(result?.added, 2);
    assert.equal(result?.duplicates, 1);
    assert.equal(await store.countSamples({taskId: task.id}), 5);
});

test("samples: an input or output over the documented limit is refused with its size; an empty input too", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({name: "echo", instruction: "Repeat", kind: "generate"});
    const selection = "x".repeat(5 * 1024 * 1024);
    await assert.rejects(store.addSamples(task.id, [{input: selection, output: "short"}]), (err) => {
        assert.ok(ConpetError.is(err, "INVALID_INPUT"));
        assert.match(err.message, /input of 5,242,880 characters; a sample can have at most 20,000/);
        return true;
    });
    await assert.rejects(store.addSamples(task.id, [{input: "short", output: "y".repeat(maxSampleChars + 1)}]), /output of 20,001 characters/);
    await assert.rejects(store.addSamples(task.id, [{input: "  \n", output: "y"}]), /empty input/);
    assert.equal((await store.addSamples(task.id, [{input: "x".repeat(maxSampleChars), output: "y"}])).added, 1);
});

test("labels: one line without commas", async (t) => {
    const store = await openTempStore(t);
    for (const label of ["two\nlines", "a, b", "tab\there"])
        await assert.rejects(store.createTask({name: "t", instruction: "x", kind: "classify", labels: ["ok", label]}),
            (err) => ConpetError.is(err, "INVALID_INPUT") && /comma or a line break/.test((err as Error).message), JSON.stringify(label));
    const task = await store.createTask({name: "t", instruction: "x", kind: "classify", labels: ["ok", "not ok"]});
    await assert.rejects(store.updateTask(task.id, {labels: ["ok", "x,y"]}), /comma or a line break/);
});
