/**
 * The Conpet service end to end on the reference model (Dynamic ConPET, the default): two tasks
 * are learned, the selector routes held-out inputs to their own task, a task whose samples change
 * gets its module replaced atomically while the other task's module stays, and every run is
 * recorded with its loss curve.
 */
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import {after, before, describe, test} from "node:test";
import {Conpet} from "../../../src/core/Conpet/Conpet";
import type {ConpetTrainProgress} from "../../../src/core/Conpet/types";
import {ConpetError} from "../../../src/vocabulary/errors";
import type {ModuleRecord, Task} from "../../../src/vocabulary/types";
import {addSuiteTask, createCoreFixture, smallSettings, type CoreFixture} from "./coreTestFixture";

describe("Conpet (dynamic) on stories260K", () => {
    let fixture: CoreFixture;
    let conpet: Conpet;
    let camel: {task: Task; test: {input: string; output: string}[]};
    let reverse: {task: Task; test: {input: string; output: string}[]};
    const progress: ConpetTrainProgress[] = [];

    before(async () => {
        fixture = await createCoreFixture();
        camel = await addSuiteTask(fixture.store, "text-transform", "snake-to-camel", {train: 60, test: 20});
        reverse = await addSuiteTask(fixture.store, "text-transform", "reverse-words", {train: 60, test: 20});
        conpet = await Conpet.create({store: fixture.store, engine: fixture.engine, trainer: fixture.trainer, settings: {...smallSettings, modelPath: fixture.modelPath}});
    });
    after(async () => {
        conpet?.dispose();
        await fixture?.dispose();
    });

    test("before training, predict says NOT_TRAINED and every task is untrained", async () => {
        await assert.rejects(conpet.predict("to camel case: a_b"), (err) => ConpetError.is(err, "NOT_TRAINED"));
        assert.deepEqual((await conpet.getStatus()).tasks.map((t) => t.state), ["untrained", "untrained"]);
    });

    test("train learns both tasks with progress, then nothing is left to learn", async () => {
        // Nothing has run on this store yet: the plan has each task's budget but no time to give.
        const plan = await conpet.planTraining();
        assert.deepEqual(plan.tasks.map((t) => [t.task, t.steps]), [["snake-to-camel", smallSettings.stepsPerTask], ["reverse-words", smallSettings.stepsPerTask]]);
        assert.equal(plan.seconds, null);
        const result = await conpet.train({onProgress: (p) => progress.push(p)});
        assert.deepEqual(result.learned.map((l) => l.task), ["snake-to-camel", "reverse-words"]);
        assert.ok(progress.some((p) => p.phase === "task" && p.taskIndex === 1 && p.step === p.totalSteps && p.taskCount === 2));
        const status = await conpet.getStatus();
        assert.deepEqual(status.tasks.map((t) => t.state), ["ready", "ready"]);
        assert.equal(status.selector?.kind, "embedding");
        assert.deepEqual((await conpet.train()).learned, []);
    });

    test("the selector routes held-out inputs to their own task", async () => {
        const inputs = [...camel.test, ...reverse.test];
        const predictions = await conpet.predictMany(inputs.map((s) => s.input));
        const expected = [...camel.test.map(() => camel.task.id), ...reverse.test.map(() => reverse.task.id)];
        const routed = predictions.filter((p, i) => p.routes[0]?.taskId === expected[i]).length / inputs.length;
        assert.ok(routed >= 0.85, `routed correctly: ${routed}`);
        for (const p of predictions) {
            assert.equal(typeof p.output, "string");
            assert.ok(p.routes[0]!.probability > 0 && p.routes[0]!.probability <= 1);
            assert.equal(p.taskId, p.routes[0]!.taskId);
        }
        const direct = await conpet.runTask("reverse-words", "reverse: small tools");
        assert.equal(direct.task, "reverse-words");
    });

    test("changed samples make a task stale; retraining replaces only its module, atomically", async () => {
        const before = await fixture.store.listModules();
        const camelModule = before.find((m) => m.taskId === camel.task.id && m.kind === "task-lora")!;
        const reverseModule = before.find((m) => m.taskId === reverse.task.id && m.kind === "task-lora")!;
        await fixture.store.addSamples(camel.task.id, [{input: "to camel case: new_sample_here", output: "newSampleHere"}]);
        assert.deepEqual((await conpet.getStatus()).tasks.map((t) => t.state), ["stale", "ready"]);
        // The runs before recorded their throughput: the plan for the stale task now has a time.
        const plan = await conpet.planTraining();
        assert.deepEqual(plan.tasks.map((t) => t.task), ["snake-to-camel"]);
        assert.ok(plan.seconds !== null && plan.seconds > 0 && Number.isFinite(plan.seconds), `estimated ${plan.seconds} s`);

        const result = await conpet.train();
        assert.deepEqual(result.learned.map((l) => l.task), ["snake-to-camel"]);
        const after = await fixture.store.listModules();
        const replaced = after.find((m) => m.taskId === camel.task.id && m.kind === "task-lora")!;
        assert.notEqual(replaced.id, camelModule.id);
        assert.equal(after.filter((m) => m.kind === "task-lora").length, 2);
        assert.deepEqual(after.find((m) => m.taskId === reverse.task.id) as ModuleRecord, reverseModule);
        assert.ok(existsSync(fixture.store.resolveModulePath(replaced)));
        assert.ok(!existsSync(fixture.store.resolveModulePath(camelModule)), "the replaced adapter file is removed");
        assert.deepEqual((await conpet.getStatus()).tasks.map((t) => t.state), ["ready", "ready"]);
    });

    test("every training run is recorded as succeeded with its loss curve and module", async () => {
        const runs = await fixture.store.listRuns();
        const succeeded = runs.filter((r) => r.status === "succeeded");
        assert.ok(succeeded.length >= 3);
        for (const run of succeeded) {
            assert.equal(run.lossCurve.length, smallSettings.stepsPerTask);
            assert.ok(typeof run.details.meanSampleChars === "number" && run.details.meanSampleChars > 0, "the run's size is recorded for later estimates");
            assert.ok(run.lossCurve.every((p) => Number.isFinite(p.loss)));
        }
        // A replaced module's row is gone (its runs keep their curve); every current module has its run.
        for (const module of (await fixture.store.listModules()).filter((m) => m.kind === "task-lora"))
            assert.ok(succeeded.some((run) => run.moduleId === module.id && run.taskId === module.taskId), `a run for module ${module.id}`);
    });

    test("a cancelled training leaves the modules as they were", async () => {
        await fixture.store.addSamples(reverse.task.id, [{input: "reverse: one two", output: "two one"}]);
        const before = await fixture.store.listModules();
        const controller = new AbortController();
        const training = conpet.train({signal: controller.signal, onProgress: () => controller.abort()});
        await assert.rejects(training, (err) => ConpetError.is(err, "CANCELLED"));
        assert.deepEqual(await fixture.store.listModules(), before);
        assert.equal((await fixture.store.listRuns()).filter((r) => r.status === "cancelled").length, 1);
    });
});
