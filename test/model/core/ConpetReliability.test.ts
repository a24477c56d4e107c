/**
 * Faults of issue 10 at the layer where they happen, on the real store, engine and trainer:
 * modules of another base model are never applied (and coexist with this one's), a deleted module
 * file is reported and trained again, a task deleted while it trains is skipped, and a store that
 * another process trains refuses a second training.
 */
import assert from "node:assert/strict";
import {readdir, unlink} from "node:fs/promises";
import {after, before, describe, test} from "node:test";
import {Conpet} from "../../../src/core/Conpet/Conpet";
import {ConpetError} from "../../../src/vocabulary/errors";
import type {Task} from "../../../src/vocabulary/types";
import {addSuiteTask, createCoreFixture, smallSettings, type CoreFixture} from "./coreTestFixture";
import {createOtherBaseModel} from "./createOtherBaseModel";

describe("Conpet reliability on stories260K", () => {
    let fixture: CoreFixture;
    let first: {task: Task; test: {input: string; output: string}[]};
    let otherModelPath: string;
    const create = (modelPath: string) => Conpet.create({store: fixture.store, engine: fixture.engine, trainer: fixture.trainer, settings: {...smallSettings, modelPath}});

    before(async () => {
        fixture = await createCoreFixture();
        first = await addSuiteTask(fixture.store, "code-lang", "langs-1", {train: 16, test: 4});
        otherModelPath = await createOtherBaseModel(fixture.directory);
    });
    after(async () => {
        await fixture?.dispose();
    });

    test("modules belong to their base model: stale and never applied on another one, both kept, switching back reuses them", async () => {
        const original = await create(fixture.modelPath);
        assert.deepEqual((await original.train()).learned.map((l) => l.task), [first.task.name]);
        assert.equal((await original.getStatus()).tasks[0]?.state, "ready");
        original.dispose();

        const other = await create(otherModelPath);
        const status = await other.getStatus();
        assert.notEqual(status.modelPath, fixture.modelPath);
        assert.notEqual(status.engine?.fingerprint, fixture.fingerprint, "a different file of the same shape is a different base model");
        assert.deepEqual(status.tasks.map((t) => [t.state, t.reason, t.otherBaseModels]), [["stale", "other-base-model", [fixture.fingerprint]]]);
        assert.equal(status.selector, null, "the other base model's selector is not this one's");
        await assert.rejects(other.predict(first.test[0]!.input), (err) => ConpetError.is(err, "NOT_TRAINED") && /another base model/.test((err as Error).message));
        await assert.rejects(other.runTask(first.task.name, first.test[0]!.input), (err) => ConpetError.is(err, "NOT_TRAINED") && /another base model/.test((err as Error).message));
        // "Nothing to learn" was the old answer: a module of another base model is no module for this one.
        assert.deepEqual((await other.train()).learned.map((l) => l.task), [first.task.name]);
        assert.equal((await other.getStatus()).tasks[0]?.state, "ready");
        assert.equal((await other.predict(first.test[0]!.input)).taskId, first.task.id);
        other.dispose();

        const modules = await fixture.store.listModules();
        assert.deepEqual(modules.map((m) => m.kind).sort(), ["selector", "selector", "task-lora", "task-lora"]);
        assert.equal(new Set(modules.map((m) => m.baseModelFingerprint)).size, 2);

        const back = await create(fixture.modelPath);
        assert.equal((await back.getStatus()).tasks[0]?.state, "ready", "switching back finds its modules");
        assert.deepEqual((await back.train()).learned, []);
        // --all retrains every task for the current base model from the stored samples.
        const all = await back.train({all: true});
        assert.deepEqual(all.learned.map((l) => l.task), [first.task.name]);
        assert.equal((await fixture.store.listModules()).length, 4, "retraining replaces this base model's modules only");
        back.dispose();
    });

    test("a deleted module file is reported as missing, predict says so, and training learns the task again", async () => {
        const conpet = await create(fixture.modelPath);
        const module = (await fixture.store.getModule(first.task.id, "task-lora", fixture.fingerprint))!;
        await unlink(fixture.store.resolveModulePath(module));
        const status = await conpet.getStatus();
        assert.deepEqual([status.tasks[0]?.state, status.tasks[0]?.reason], ["missing", "file-missing"]);
        await assert.rejects(conpet.predict(first.test[0]!.input), (err) => ConpetError.is(err, "MODULE_MISSING") && /learn it again/.test((err as Error).message));
        assert.deepEqual((await conpet.train()).learned.map((l) => l.task), [first.task.name]);
        assert.equal((await conpet.getStatus()).tasks[0]?.state, "ready");

        const selector = (await fixture.store.getModule(null, "selector", fixture.fingerprint))!;
        await unlink(fixture.store.resolveModulePath(selector));
        await assert.rejects(conpet.predict(first.test[0]!.input), (err) => ConpetError.is(err, "MODULE_MISSING") && /the selector/.test((err as Error).message));
        assert.equal((await conpet.train()).selectorRetrained, true);
        assert.equal((await conpet.predict(first.test[0]!.input)).taskId, first.task.id);
        conpet.dispose();
    });

    test("a valid name of 100 three-byte letters trains and registers (adapter files are named by id)", async () => {
        const name = "語".repeat(100);
        const task = await fixture.store.createTask({name, instruction: "Say which language this code is in", kind: "classify", labels: first.task.labels});
        await fixture.store.addSamples(task.id, first.test.map((sample) => ({...sample, split: "train" as const})));
        const conpet = await create(fixture.modelPath);
        assert.deepEqual((await conpet.train()).learned.map((l) => l.task), [name]);
        assert.equal((await conpet.getStatus()).tasks.find((t) => t.task.id === task.id)?.state, "ready");
        assert.deepEqual(await readdir(fixture.store.workDirectory), [], "nothing left in tmp/");
        await fixture.store.deleteTask(task.id);
        conpet.dispose();
    });

    test("empty and oversized inputs are refused before any model work", async () => {
        const conpet = await create(fixture.modelPath);
        await assert.rejects(conpet.predict("  \n"), (err) => ConpetError.is(err, "INVALID_INPUT") && /empty/.test((err as Error).message));
        await assert.rejects(conpet.predict("x".repeat(5 * 1024 * 1024)), (err) => ConpetError.is(err, "INVALID_INPUT") && /5,242,880 characters/.test((err as Error).message));
        conpet.dispose();
    });

    test("a task deleted while it trains is skipped with a message; the others are learned", async () => {
        const second = await addSuiteTask(fixture.store, "code-lang", "langs-2", {train: 16, test: 4});
        const third = await addSuiteTask(fixture.store, "code-lang", "langs-3", {train: 16, test: 4});
        const logs: string[] = [];
        const conpet = await Conpet.create({store: fixture.store, engine: fixture.engine, trainer: fixture.trainer, settings: {...smallSettings, modelPath: fixture.modelPath}, onLog: (m) => logs.push(m)});
        let deletion: Promise<void> | undefined;
        const result = await conpet.train({
            onProgress(p) {
                if (p.phase === "task" && p.task === second.task.name && p.step >= 1)
                    deletion ??= fixture.store.deleteTask(second.task.id);
            }
        });
        await deletion;
        assert.ok(deletion !== undefined, "the task was deleted while its module trained");
        assert.deepEqual(result.learned.map((l) => l.task), [third.task.name]);
        assert.deepEqual(result.skipped, [second.task.name]);
        assert.ok(logs.some((m) => /"langs-2" was deleted during training; skipped it/.test(m)), logs.join("\n"));
        const status = await conpet.getStatus();
        assert.deepEqual(status.tasks.map((t) => [t.task.name, t.state]), [[first.task.name, "ready"], [third.task.name, "ready"]]);
        assert.deepEqual((await fixture.store.listModules({baseModelFingerprint: fixture.fingerprint})).filter((m) => m.taskId === second.task.id), []);
        conpet.dispose();
    });

    test("while another process holds the store's training lease, train refuses and the status shows who trains", async () => {
        const conpet = await create(fixture.modelPath);
        // Taken through the store, as another window's training holds it (two real processes race in test/model/cliReliability.test.ts).
        const lease = await fixture.store.acquireTrainingLease({label: "VS Code window"});
        try {
            assert.equal((await conpet.getStatus()).trainingElsewhere?.label, "VS Code window");
            await assert.rejects(conpet.train({all: true}), (err) => ConpetError.is(err, "TRAINING_BUSY") && /Training in another window/.test((err as Error).message));
        } finally {
            await fixture.store.releaseTrainingLease(lease.token);
        }
        assert.equal((await conpet.getStatus()).trainingElsewhere, null);
        conpet.dispose();
    });
});
