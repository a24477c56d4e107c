import assert from "node:assert/strict";
import {writeFile} from "node:fs/promises";
import {test} from "node:test";
import {recordCorrection} from "../../../../src/core/corrections/recordCorrection";
import {getTaskModuleStates} from "../../../../src/core/moduleStates/getTaskModuleStates";
import type {ConpetStore} from "../../../../src/store/ConpetStore";
import {ConpetError} from "../../../../src/vocabulary/errors";
import {openTempStore} from "../../store/openTempStore";

test("recordCorrection: the right answer becomes a training sample of the right task, marked as a correction of what ConPET said", async (t) => {
    const store = await openTempStore(t);
    const levels = await store.createTask({name: "levels", instruction: "Classify the log line", kind: "classify", labels: ["error", "info"]});
    const camel = await store.createTask({name: "camel", instruction: "camelCase it", kind: "generate"});
    await store.addSamples(levels.id, [{input: "disk failed", output: "error"}]);

    // The selector sent a log line to the wrong task: the correction names the right one.
    const result = await recordCorrection(store, {task: "levels", input: "server started", output: "info", answered: {task: "camel", output: "serverStarted"}});
    assert.equal(result.task.id, levels.id);
    assert.equal(result.added, true);
    assert.equal(result.replaced, 0);
    const [, corrected] = await store.listSamples(levels.id, {split: "train"});
    assert.equal(corrected?.input, "server started");
    assert.equal(corrected?.output, "info");
    assert.deepEqual(corrected?.source, {kind: "correction", answered: {task: "camel", output: "serverStarted"}});
    assert.equal(await store.countSamples({taskId: camel.id}), 0);
    assert.equal(await store.countSamples({taskId: levels.id, sourceKind: "correction"}), 1);
});

test("recordCorrection: a stored sample that taught the wrong answer for the same input is replaced; the same correction twice adds nothing", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({name: "levels", instruction: "Classify", kind: "classify", labels: ["error", "warning", "info"]});
    await store.addSamples(task.id, [{input: "cache miss rate 40%", output: "info"}, {input: "cache miss rate 40%", output: "info", split: "test"}, {input: "disk failed", output: "error"}]);
    const correction = {task: task.id, input: "cache miss rate 40%", output: "warning", answered: {task: "levels", output: "info"}};
    const first = await recordCorrection(store, correction);
    assert.deepEqual([first.added, first.replaced], [true, 1]);
    const train = await store.listSamples(task.id, {split: "train"});
    assert.deepEqual(train.map((sample) => [sample.input, sample.output]), [["disk failed", "error"], ["cache miss rate 40%", "warning"]]);
    // Held-out samples measure the module; a correction does not rewrite them.
    assert.equal(await store.countSamples({taskId: task.id, split: "test"}), 1);

    const again = await recordCorrection(store, correction);
    assert.deepEqual([again.added, again.replaced], [false, 0]);
});

test("recordCorrection: the task's samples change, so a module trained on the old ones is stale; corrections since then are counted", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({name: "levels", instruction: "Classify", kind: "classify", labels: ["error", "info"]});
    await store.addSamples(task.id, [{input: "disk failed", output: "error"}]);
    const trainedAt = new Date(Date.now() - 1000).toISOString();
    await registerFakeTrainedModule(store, task.id, await store.getSamplesHash(task.id), trainedAt);
    assert.equal((await getTaskModuleStates(store, {mode: "dynamic", baseModelFingerprint: "base"})).find((status) => status.task.id === task.id)?.state, "ready");

    await recordCorrection(store, {task: "levels", input: "all good", output: "info", answered: {task: "levels", output: "error"}});
    assert.equal((await getTaskModuleStates(store, {mode: "dynamic", baseModelFingerprint: "base"})).find((status) => status.task.id === task.id)?.state, "stale");
    assert.equal(await store.countSamples({taskId: task.id, sourceKind: "correction", createdAfter: trainedAt}), 1);
    assert.equal(await store.countSamples({taskId: task.id, sourceKind: "correction", createdAfter: new Date(Date.now() + 60_000).toISOString()}), 0);
    assert.equal(await store.countSamples({taskId: task.id, sourceKind: "selection"}), 0);
});

test("recordCorrection: a label the task does not have, an empty answer, or ConPET's own answer are refused and store nothing", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({name: "levels", instruction: "Classify", kind: "classify", labels: ["error", "info"]});
    const generate = await store.createTask({name: "camel", instruction: "camelCase it", kind: "generate"});
    const answered = {task: "levels", output: "error"};
    await assert.rejects(recordCorrection(store, {task: task.id, input: "x", output: "fatal", answered}), (err) => ConpetError.is(err, "INVALID_INPUT") && /not a label of "levels"; use one of: error, info/.test(err.message));
    await assert.rejects(recordCorrection(store, {task: generate.id, input: "x", output: "  ", answered}), /right answer is empty/);
    await assert.rejects(recordCorrection(store, {task: task.id, input: "x", output: "error", answered}), /is what "levels" answered already/);
    await assert.rejects(recordCorrection(store, {task: "missing", input: "x", output: "error", answered}), (err) => ConpetError.is(err, "TASK_NOT_FOUND"));
    assert.equal(await store.countSamples(), 0);
});

/** A module row as a training registers it (the adapter file's content does not matter to the states). */
async function registerFakeTrainedModule(store: ConpetStore, taskId: number, samplesHash: string, trainedAt: string): Promise<void> {
    const file = await store.createWorkFilePath("adapter", "gguf");
    await writeFile(file, "GGUF and some adapter weights");
    await store.registerModule({
        sourceFile: file, taskId, kind: "task-lora", baseModelFingerprint: "base", rank: 2, alpha: 4, targetModules: ["q"],
        trainableParameters: 8, metrics: {}, samplesHash, trainedAt
    });
}
