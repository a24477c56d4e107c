/**
 * `Conpet.train({evaluate})` on the reference model: the accuracy matrix gets a row right after
 * each learned task (not one shared measurement after the whole training), later trainings
 * continue it (also the older evaluations the extension stored after a whole training), a task
 * relearned outside the record cuts it, and a cancel while measuring stores no half row but keeps
 * the learned module.
 */
import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {Conpet} from "../../../src/core/Conpet/Conpet";
import type {ConpetTrainProgress} from "../../../src/core/Conpet/types";
import {ConpetError} from "../../../src/vocabulary/errors";
import {isAccuracyMatrix} from "../../../src/core/evaluation/metrics";
import type {Evaluation, Task} from "../../../src/vocabulary/types";
import {addSuiteTask, createCoreFixture, smallSettings, type CoreFixture} from "./coreTestFixture";

const samplesPerTask = 8;

describe("Conpet.train with evaluate (dynamic) on stories260K", () => {
    let fixture: CoreFixture;
    let conpet: Conpet;
    let first: Task;
    let second: Task;

    before(async () => {
        fixture = await createCoreFixture();
        first = (await addSuiteTask(fixture.store, "code-lang", "langs-1", {train: 40, test: 12})).task;
        second = (await addSuiteTask(fixture.store, "code-lang", "langs-2", {train: 40, test: 12})).task;
        conpet = await Conpet.create({store: fixture.store, engine: fixture.engine, trainer: fixture.trainer, settings: {...smallSettings, stepsPerTask: 20, modelPath: fixture.modelPath}});
    });
    after(async () => {
        conpet?.dispose();
        await fixture?.dispose();
    });

    test("two tasks in one training: a row is measured and stored right after each task", async () => {
        const events: string[] = [];
        const progress: ConpetTrainProgress[] = [];
        const notified: Evaluation[] = [];
        const result = await conpet.train({
            evaluate: {samplesPerTask},
            onProgress: (p) => {
                progress.push(p);
                const event = `${p.phase}:${p.taskIndex}`;
                if (events.at(-1) !== event)
                    events.push(event);
            },
            onEvaluation: (evaluation) => notified.push(evaluation)
        });
        assert.deepEqual(result.learned.map((l) => l.task), ["langs-1", "langs-2"]);
        assert.equal(result.evaluationError, undefined);
        assert.deepEqual(events, ["task:0", "evaluate:0", "task:1", "evaluate:1"], "each task is measured after it is learned, before the next one");
        const lastMeasure = progress.filter((p) => p.phase === "evaluate" && p.taskIndex === 1).at(-1)!;
        assert.deepEqual([lastMeasure.step, lastMeasure.totalSteps, lastMeasure.task], [2 * samplesPerTask, 2 * samplesPerTask, "langs-2"]);

        const stored = await fixture.store.listEvaluations();
        assert.deepEqual(stored.map((e) => e.id), result.evaluations.map((e) => e.id));
        assert.deepEqual(notified.map((e) => e.id), result.evaluations.map((e) => e.id));
        assert.equal(stored.length, 2, "one evaluation per learned task");
        const [afterFirst, afterSecond] = stored as [Evaluation, Evaluation];
        assert.deepEqual(afterFirst.tasks, ["langs-1"]);
        assert.deepEqual(afterSecond.tasks, ["langs-1", "langs-2"]);
        assert.deepEqual(afterSecond.accuracyMatrix.map((row) => row.length), [1, 2]);
        assert.ok(isAccuracyMatrix(afterSecond.accuracyMatrix), JSON.stringify(afterSecond.accuracyMatrix));
        assert.deepEqual(afterSecond.accuracyMatrix[0], afterFirst.accuracyMatrix[0], "the later evaluation keeps row 0 as measured");
        for (const evaluation of stored) {
            assert.equal(evaluation.mode, "dynamic");
            assert.ok(evaluation.selectorAccuracy !== null && evaluation.selectorAccuracy >= 0 && evaluation.selectorAccuracy <= 1);
            assert.equal(evaluation.details.source, "train");
            assert.equal(evaluation.details.samplesPerTask, samplesPerTask);
            assert.deepEqual(evaluation.details.sharedRows, [], "no row is copied from a later measurement");
        }
        assert.deepEqual(afterSecond.details.measuredOn, {"langs-1": "test", "langs-2": "test"});

        // Row 0 was stored after langs-1's module was trained and before langs-2's run started.
        const runs = await fixture.store.listRuns();
        const firstRun = runs.find((r) => r.taskId === first.id && r.status === "succeeded")!;
        const secondRun = runs.find((r) => r.taskId === second.id && r.status === "succeeded")!;
        assert.ok(firstRun.finishedAt !== null && firstRun.finishedAt <= afterFirst.createdAt, `${firstRun.finishedAt} <= ${afterFirst.createdAt}`);
        assert.ok(afterFirst.createdAt <= secondRun.startedAt, `${afterFirst.createdAt} <= ${secondRun.startedAt}`);
        assert.ok(secondRun.finishedAt !== null && secondRun.finishedAt <= afterSecond.createdAt);
    });

    test("a cancel while measuring cancels the training, stores no row and keeps the learned module", async () => {
        await fixture.store.addSamples(first.id, [{input: "fn main() {\n    println!(\"hi\");\n}", output: "rust"}]);
        const before = await fixture.store.listEvaluations();
        const oldModule = await fixture.store.getModule(first.id, "task-lora");
        const controller = new AbortController();
        const training = conpet.train({
            signal: controller.signal,
            evaluate: {samplesPerTask},
            onProgress: (p) => {
                // After the first column is measured: the cancel lands in the middle of the measurement.
                if (p.phase === "evaluate" && p.step > 0)
                    controller.abort();
            }
        });
        await assert.rejects(training, (err) => ConpetError.is(err, "CANCELLED"));
        assert.deepEqual(await fixture.store.listEvaluations(), before);
        const module = await fixture.store.getModule(first.id, "task-lora");
        assert.notEqual(module?.id, oldModule?.id, "the relearned module was registered before the measurement");
        assert.deepEqual((await conpet.getStatus()).tasks.map((t) => t.state), ["ready", "ready"]);
        assert.equal(conpet.isTraining, false);
    });

    test("the next training cuts the matrix at the task relearned without a record and measures the rest again", async () => {
        // langs-1 was relearned by the cancelled training, so its column no longer means what it measured.
        await fixture.store.addSamples(second.id, [{input: "puts \"hello\"", output: "ruby"}]);
        const result = await conpet.train({evaluate: {samplesPerTask}});
        assert.deepEqual(result.learned.map((l) => l.task), ["langs-2"]);
        assert.equal(result.evaluations.length, 1);
        const evaluation = result.evaluations[0]!;
        assert.deepEqual(evaluation.tasks, ["langs-1", "langs-2"]);
        assert.deepEqual(evaluation.details.sharedRows, [0], "langs-1's row comes from this measurement");
        assert.ok(isAccuracyMatrix(evaluation.accuracyMatrix));
        assert.deepEqual(evaluation.accuracyMatrix[0], evaluation.accuracyMatrix[1]!.slice(0, 1));
    });

    test("a training that learns a new task continues the matrix: earlier rows are kept, one row is added", async () => {
        const previous = (await fixture.store.listEvaluations()).at(-1)!;
        await addSuiteTask(fixture.store, "code-lang", "langs-3", {train: 40, test: 12});
        const result = await conpet.train({evaluate: {samplesPerTask}});
        assert.deepEqual(result.learned.map((l) => l.task), ["langs-3"]);
        const evaluation = result.evaluations[0]!;
        assert.deepEqual(evaluation.tasks, ["langs-1", "langs-2", "langs-3"]);
        assert.deepEqual(evaluation.accuracyMatrix.slice(0, 2), previous.accuracyMatrix);
        assert.equal(evaluation.accuracyMatrix[2]!.length, 3);
        assert.ok(isAccuracyMatrix(evaluation.accuracyMatrix));
        assert.deepEqual(evaluation.details.sharedRows, [0], "the older shared row stays marked");
    });

    test("an older evaluation recorded after a whole training (with shared rows) is continued", async () => {
        const legacy = await fixture.store.addEvaluation({
            mode: "dynamic",
            tasks: ["langs-1", "langs-2", "langs-3"],
            // Not multiples of 1/8: no measurement on 8 samples can reproduce them.
            accuracyMatrix: [[0.3], [0.3, 0.2], [0.3, 0.2, 0.7]],
            selectorAccuracy: 1,
            details: {source: "extension", measuredOn: {"langs-1": "test", "langs-2": "test", "langs-3": "test"}, sharedRows: [0, 1], samplesPerTask: 50}
        });
        const third = await fixture.store.getTask("langs-3");
        await fixture.store.addSamples(third.id, [{input: "SELECT name FROM users WHERE id = 1;", output: "sql"}]);
        const result = await conpet.train({evaluate: {samplesPerTask}});
        assert.deepEqual(result.learned.map((l) => l.task), ["langs-3"]);
        const evaluation = result.evaluations[0]!;
        assert.deepEqual(evaluation.tasks, legacy.tasks, "langs-3 is relearned, so its column is measured again at the end");
        assert.deepEqual(evaluation.accuracyMatrix.slice(0, 2), legacy.accuracyMatrix.slice(0, 2));
        assert.notDeepEqual(evaluation.accuracyMatrix[2], legacy.accuracyMatrix[2]);
        assert.deepEqual(evaluation.details.sharedRows, [0, 1], "the legacy shared rows stay marked; the new row is measured");
    });

    test("without evaluate, nothing is measured", async () => {
        const before = (await fixture.store.listEvaluations()).length;
        await fixture.store.addSamples(second.id, [{input: "echo \"$HOME\"", output: "shell"}]);
        const result = await conpet.train();
        assert.deepEqual(result.learned.map((l) => l.task), ["langs-2"]);
        assert.deepEqual(result.evaluations, []);
        assert.equal((await fixture.store.listEvaluations()).length, before);
    });
});
