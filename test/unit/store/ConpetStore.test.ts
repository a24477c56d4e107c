import assert from "node:assert/strict";
import {test} from "node:test";
import {ConpetError} from "../../../src/vocabulary/errors";
import {ConpetStore} from "../../../src/store/ConpetStore";
import {openTempStore} from "./openTempStore";
import {createTempDirectory} from "./createTempDirectory";

const logsTask = {name: "log-level", instruction: "Classify this log line", kind: "classify", labels: ["error", "warning", "info"]} as const;

test("tasks: create, get by id and name, list in creation order, update, reject duplicates", async (t) => {
    const store = await openTempStore(t);
    const logs = await store.createTask({...logsTask, labels: [...logsTask.labels]});
    const docs = await store.createTask({name: "  docstring  ", instruction: "Write the docstring", kind: "generate"});
    assert.equal(docs.name, "docstring", "names are trimmed");
    assert.deepEqual(await store.getTask(logs.id), logs);
    assert.deepEqual(await store.getTask("log-level"), logs);
    assert.deepEqual((await store.listTasks()).map((task) => task.name), ["log-level", "docstring"]);
    assert.equal(await store.findTask("nope"), undefined);

    await assert.rejects(store.createTask({name: "log-level", instruction: "x", kind: "generate"}), (err) => ConpetError.is(err, "TASK_EXISTS"));
    await assert.rejects(store.getTask("nope"), (err) => ConpetError.is(err, "TASK_NOT_FOUND"));
    await assert.rejects(store.updateTask(docs.id, {name: "log-level"}), (err) => ConpetError.is(err, "TASK_EXISTS"));

    const renamed = await store.updateTask(docs.id, {name: "docstrings", instruction: "Write the docstring in our style"});
    assert.equal(renamed.name, "docstrings");
    assert.equal(renamed.instruction, "Write the docstring in our style");
    assert.equal(renamed.kind, "generate");
});

test("tasks: names and definitions are validated", async (t) => {
    const store = await openTempStore(t);
    const bad: {name: string; why: RegExp; task: Parameters<ConpetStore["createTask"]>[0]}[] = [
        {name: "empty name", why: /must not be empty/, task: {name: "   ", instruction: "x", kind: "generate"}},
        {name: "long name", why: /at most 100/, task: {name: "n".repeat(101), instruction: "x", kind: "generate"}},
        {name: "newline", why: /control characters/, task: {name: "a\nb", instruction: "x", kind: "generate"}},
        {name: "no instruction", why: /needs an instruction/, task: {name: "a", instruction: " ", kind: "generate"}},
        {name: "bad kind", why: /use "classify" or "generate"/, task: {name: "a", instruction: "x", kind: "sort" as "generate"}},
        {name: "one label", why: /at least two labels/, task: {name: "a", instruction: "x", kind: "classify", labels: ["yes"]}},
        {name: "repeated label", why: /repeat a label/, task: {name: "a", instruction: "x", kind: "classify", labels: ["y", "y"]}},
        {name: "labels on generate", why: /takes no labels/, task: {name: "a", instruction: "x", kind: "generate", labels: ["y", "n"]}}
    ];
    for (const {name, why, task} of bad)
        await assert.rejects(store.createTask(task), (err) => ConpetError.is(err, "INVALID_INPUT") && why.test((err as Error).message), name);
    assert.equal((await store.listTasks()).length, 0);
    // 100 characters (of any script) is allowed.
    await store.createTask({name: "é".repeat(100), instruction: "x", kind: "generate"});
});

test("samples: add, list by split with paging, count, delete; a bad sample rolls back the whole batch", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({...logsTask, labels: [...logsTask.labels]});
    const result = await store.addSamples(task.id, [
        {input: "disk failed", output: "error", source: {kind: "selection", file: "/src/a.log", range: {startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 11}}},
        {input: "low memory", output: "warning"},
        {input: "started", output: "info", split: "test"},
        {input: "stopped", output: "info"}
    ]);
    assert.deepEqual(result, {added: 4, evicted: 0, skipped: 0, duplicates: 0});
    const train = await store.listSamples(task.id, {split: "train"});
    assert.deepEqual(train.map((sample) => sample.input), ["disk failed", "low memory", "stopped"]);
    assert.deepEqual(train[0]!.source, {kind: "selection", file: "/src/a.log", range: {startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 11}});
    assert.equal(train[1]!.source, null);
    assert.deepEqual((await store.listSamples(task.id, {limit: 2, offset: 1})).map((sample) => sample.input), ["low memory", "started"]);
    assert.equal(await store.countSamples(), 4);
    assert.equal(await store.countSamples({taskId: task.id, split: "test"}), 1);

    await assert.rejects(
        store.addSamples(task.id, [{input: "fine", output: "info"}, {input: "odd", output: "debug"}]),
        (err) => ConpetError.is(err, "INVALID_INPUT") && /not one of its labels/.test((err as Error).message)
    );
    await assert.rejects(store.addSamples(task.id, [{input: " ", output: "info"}]), /empty input/);
    await assert.rejects(store.addSamples(999, [{input: "x", output: "info"}]), (err) => ConpetError.is(err, "TASK_NOT_FOUND"));
    assert.equal(await store.countSamples(), 4, "nothing of a failed batch is stored");

    assert.equal(await store.deleteSamples([train[0]!.id, train[1]!.id, 12345]), 2);
    assert.deepEqual(await store.countSamplesByTask(), [{taskId: task.id, train: 1, test: 1}]);
});

test("samples: reservoir sampling keeps at most `cap` train samples, uniformly, reproducibly with a seed", async (t) => {
    const store = await openTempStore(t);
    const offered = Array.from({length: 2000}, (_, i) => ({input: `line ${i}`, output: i % 2 === 0 ? "error" : "info"}));
    const kept: string[][] = [];
    for (const name of ["a", "b"]) {
        const task = await store.createTask({...logsTask, name, labels: [...logsTask.labels]});
        // Offered in four batches, as the data would arrive over time.
        for (let batch = 0; batch < 4; batch++)
            await store.addSamples(task.id, offered.slice(batch * 500, (batch + 1) * 500), {cap: 200, seed: 42});
        await store.addSamples(task.id, [{input: "held out", output: "info", split: "test"}], {cap: 200, seed: 42});
        assert.equal(await store.countSamples({taskId: task.id, split: "train"}), 200);
        assert.equal(await store.countSamples({taskId: task.id, split: "test"}), 1, "test samples are never capped");
        kept.push((await store.listSamples(task.id, {split: "train"})).map((sample) => sample.input).sort());
    }
    // Task ids differ, so the streams differ, but each is a uniform subset: the kept samples spread
    // over the whole offered range, not just its head (which is what "first 200 wins" would give).
    const indexes = kept[0]!.map((input) => Number(input.split(" ")[1]));
    const lateShare = indexes.filter((index) => index >= 1000).length / indexes.length;
    assert.ok(lateShare > 0.35 && lateShare < 0.65, `share of kept samples from the second half: ${lateShare}`);

    const other = await ConpetStore.open({directory: await createTempDirectory(t)});
    t.after(() => other.dispose());
    const again = await other.createTask({...logsTask, name: "a", labels: [...logsTask.labels]});
    for (let batch = 0; batch < 4; batch++)
        await other.addSamples(again.id, offered.slice(batch * 500, (batch + 1) * 500), {cap: 200, seed: 42});
    assert.deepEqual((await other.listSamples(again.id, {split: "train"})).map((sample) => sample.input).sort(), kept[0], "same seed, same data → same subset");
});

test("getSamplesHash changes with the train samples only", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({...logsTask, labels: [...logsTask.labels]});
    const empty = await store.getSamplesHash(task.id);
    await store.addSamples(task.id, [{input: "a", output: "info"}]);
    const one = await store.getSamplesHash(task.id);
    assert.notEqual(one, empty);
    await store.addSamples(task.id, [{input: "b", output: "info", split: "test"}]);
    assert.equal(await store.getSamplesHash(task.id), one, "test samples don't make a module stale");
    const [sample] = await store.listSamples(task.id, {split: "train"});
    await store.deleteSamples([sample!.id]);
    assert.equal(await store.getSamplesHash(task.id), empty);
    assert.match(one, /^[0-9a-f]{64}$/);
});

test("importBatches creates tasks and samples in one transaction", async (t) => {
    const store = await openTempStore(t);
    const existing = await store.createTask({name: "old", instruction: "Say it", kind: "generate"});
    const results = await store.importBatches([
        {task: {...logsTask, labels: [...logsTask.labels]}, create: true, samples: [{input: "x", output: "error"}, {input: "y", output: "info", split: "test"}]},
        {task: {name: "old", instruction: "", kind: "generate"}, create: false, samples: [{input: "p", output: "q"}]}
    ]);
    assert.deepEqual(results.map(({name, created, added}) => ({name, created, added})), [
        {name: "log-level", created: true, added: 2},
        {name: "old", created: false, added: 1}
    ]);
    assert.equal(results[1]!.taskId, existing.id);

    await assert.rejects(store.importBatches([
        {task: {name: "new", instruction: "x", kind: "generate"}, create: true, samples: [{input: "a", output: "b"}]},
        {task: {name: "missing", instruction: "x", kind: "generate"}, create: false, samples: [{input: "a", output: "b"}]}
    ]), (err) => ConpetError.is(err, "TASK_NOT_FOUND"));
    assert.equal(await store.findTask("new"), undefined, "the first batch was rolled back");
    assert.equal(await store.countSamples(), 3);
});

test("runs and evaluations: start, append loss, finish, list", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({...logsTask, labels: [...logsTask.labels]});
    const run = await store.startRun({taskId: task.id, details: {steps: 10}});
    assert.equal(run.status, "running");
    await store.appendLoss(run.id, [{step: 1, loss: 2.5}, {step: 2, loss: 2.1}]);
    await store.appendLoss(run.id, [{step: 3, loss: 1.9}]);
    const finished = await store.finishRun(run.id, {status: "succeeded", details: {seconds: 1.5}});
    assert.equal(finished.status, "succeeded");
    assert.deepEqual(finished.lossCurve.map((point) => point.step), [1, 2, 3]);
    assert.deepEqual(finished.details, {steps: 10, seconds: 1.5});
    assert.ok(finished.finishedAt !== null);
    const second = await store.startRun();
    assert.deepEqual((await store.listRuns()).map((r) => r.id), [second.id, run.id]);
    assert.deepEqual((await store.listRuns({limit: 1})).map((r) => r.id), [second.id]);
    await assert.rejects(store.appendLoss(999, []), (err) => ConpetError.is(err, "INVALID_INPUT"));

    const evaluation = await store.addEvaluation({mode: "dynamic", tasks: ["a", "b"], accuracyMatrix: [[0.9], [0.85, 0.8]], selectorAccuracy: 0.95, details: {}});
    assert.deepEqual(await store.listEvaluations(), [evaluation]);
    assert.deepEqual(evaluation.accuracyMatrix, [[0.9], [0.85, 0.8]]);
});

test("dispose is idempotent, fires onDispose once, and later calls throw DisposedError", async (t) => {
    const store = await ConpetStore.open({directory: await createTempDirectory(t)});
    let fired = 0;
    store.onDispose(() => fired++);
    const removed = store.onDispose(() => fired += 100);
    removed.dispose();
    const pending = store.listTasks();
    await Promise.all([store.dispose(), store.dispose()]);
    await store.dispose();
    assert.deepEqual(await pending, [], "an operation queued before dispose still completes");
    assert.equal(fired, 1);
    assert.equal(store.disposed, true);
    await assert.rejects(store.listTasks(), (err) => ConpetError.is(err, "DISPOSED"));
    await assert.rejects(store.createTask({...logsTask, labels: [...logsTask.labels]}), (err) => ConpetError.is(err, "DISPOSED"));
});

test("concurrent transactions on one store are serialised", async (t) => {
    const store = await openTempStore(t);
    const task = await store.createTask({...logsTask, labels: [...logsTask.labels]});
    // Interleaved without a queue, one batch's ROLLBACK would undo the other's rows (or BEGIN would fail).
    const results = await Promise.allSettled(Array.from({length: 20}, (_, i) => store.addSamples(task.id, i % 4 === 3
        ? [{input: `ok ${i}`, output: "info"}, {input: `bad ${i}`, output: "nope"}]
        : [{input: `a ${i}`, output: "info"}, {input: `b ${i}`, output: "error"}])));
    assert.equal(results.filter((result) => result.status === "rejected").length, 5);
    assert.equal(await store.countSamples({taskId: task.id}), 30);
});
