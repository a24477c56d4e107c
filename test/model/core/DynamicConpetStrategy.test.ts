import assert from "node:assert/strict";
import {readFile} from "node:fs/promises";
import {after, before, describe, test} from "node:test";
import {DynamicConpetStrategy} from "../../../src/core/strategies/DynamicConpetStrategy";
import type {Prediction} from "../../../src/core/strategies/types";
import type {Task} from "../../../src/vocabulary/types";
import {addSuiteTask, createCoreFixture, createStrategyContext, type CoreFixture} from "./coreTestFixture";
import {learnTwoSentimentTasks, type TwoTaskRun} from "./sharedStrategyChecks";

describe("DynamicConpetStrategy on stories260K", () => {
    let fixture: CoreFixture;
    let strategy: DynamicConpetStrategy;
    let result: TwoTaskRun;

    before(async () => {
        fixture = await createCoreFixture();
        strategy = new DynamicConpetStrategy(createStrategyContext(fixture, {mode: "dynamic", topK: 2}));
        result = await learnTwoSentimentTasks(fixture, strategy);
    });
    after(async () => fixture?.dispose());

    test("each task gets its own module, trained on its own samples only; the selector covers both", async () => {
        const modules = await fixture.store.listModules();
        assert.deepEqual(modules.filter((m) => m.kind === "task-lora").map((m) => m.taskId).sort(), [result.first.id, result.second.id].sort());
        for (const run of result.runs) {
            assert.equal(run.details.replay, undefined);
            assert.equal(run.details.initAdapterPath, undefined);
            assert.equal(run.details.sampleCount, 24);
        }
        const selector = modules.find((m) => m.kind === "selector")!;
        const json = JSON.parse(await readFile(fixture.store.resolveModulePath(selector), "utf8")) as {kind: string; taskIds: number[]; classifier: {temperature: number; dense: unknown}};
        assert.equal(json.kind, "embedding");
        assert.deepEqual(json.taskIds, [result.first.id, result.second.id].sort((a, b) => a - b));
        assert.notEqual(json.classifier.dense, null, "the pooled states are one group of the selector's features");
        assert.ok(json.classifier.temperature > 0);
    });

    test("top-2 routing answers with the most probable (task, label) over both modules, scoring the second only where it can still win", async (t) => {
        const {skipped, total} = await assertMostProbableOverUnion(strategy, [result.first, result.second], result.test.map((s) => s.input));
        t.diagnostic(`second module skipped for ${skipped} of ${total} inputs`);
    });

    test("the task-aware path scores only the named task's labels", async () => {
        const [p] = await strategy.predictForTask(result.second, [result.test[0]!.input]);
        assert.ok(result.second.labels.includes(p!.output));
        assert.equal(p!.labelScores!.length, result.second.labels.length);
    });

    test("the LoRA selector variant trains an adapter that scores task names", async () => {
        const lora = new DynamicConpetStrategy(createStrategyContext(fixture, {mode: "dynamic", selectorKind: "lora", topK: 2}));
        await lora.retrainSelector(result.second);
        const selector = (await fixture.store.listModules()).find((m) => m.kind === "selector")!;
        assert.equal(JSON.parse(selector.samplesHash).selectorKind, "lora");
        assert.equal((await readFile(fixture.store.resolveModulePath(selector))).subarray(0, 4).toString(), "GGUF");
        const routes = await lora.route(result.test.slice(0, 4).map((s) => s.input));
        for (const row of routes) {
            assert.deepEqual(row.map((r) => r.taskId).sort(), [result.first.id, result.second.id].sort());
            assert.ok(Math.abs(row[0]!.probability + row[1]!.probability - 1) < 1e-6);
        }
    });
});

describe("DynamicConpetStrategy with two tasks the selector cannot tell apart", () => {
    let fixture: CoreFixture;

    before(async () => {
        fixture = await createCoreFixture();
    });
    after(async () => fixture?.dispose());

    test("top-2 scores both modules where the routes are close, and still answers with the most probable (task, label)", async (t) => {
        const strategy = new DynamicConpetStrategy(createStrategyContext(fixture, {mode: "dynamic", topK: 2}));
        const amazon = await addSuiteTask(fixture.store, "sentiment-domains", "amazon", {train: 24, test: 8});
        // The same inputs under another instruction: the selector sees the same inputs for both tasks.
        const again = await fixture.store.createTask({name: "amazon-again", instruction: "Rate this product review.", kind: "classify", labels: amazon.task.labels});
        await fixture.store.addSamples(again.id, (await fixture.store.listSamples(amazon.task.id)).map(({input, output, split}) => ({input, output, split})));
        await strategy.learnTask(amazon.task);
        await strategy.learnTask(again);
        const {skipped, total} = await assertMostProbableOverUnion(strategy, [amazon.task, again], amazon.test.map((s) => s.input));
        t.diagnostic(`second module skipped for ${skipped} of ${total} inputs`);
        assert.ok(skipped < total, "the second module was scored for some input");
    });
});

/**
 * Checks `predict` against the full union, measured through the task-aware path for every task: the answer is the
 * (task, label) of highest p(task | input) · softmax of the task's own label scores, and a lower-ranked module was
 * left unscored only where even a sure label of it could not have won. Returns how often the second was skipped.
 */
async function assertMostProbableOverUnion(strategy: DynamicConpetStrategy, tasks: Task[], inputs: string[]): Promise<{skipped: number; total: number}> {
    const predictions = await strategy.predict(inputs);
    const ownScores = new Map<string, Prediction[]>();
    for (const task of tasks)
        ownScores.set(task.name, await strategy.predictForTask(task, inputs));
    let skipped = 0;
    predictions.forEach((p, i) => {
        assert.equal(p.routes.length, 2);
        const joint = p.routes.flatMap((route) => {
            const scores = ownScores.get(route.task)![i]!.labelScores!;
            const total = scores.reduce((sum, s) => sum + Math.exp(s.score), 0);
            return scores.map((s) => ({task: route.task, label: s.label, value: route.probability * Math.exp(s.score) / total}));
        });
        const best = joint.reduce((a, b) => (b.value > a.value ? b : a));
        assert.deepEqual([p.task, p.output], [best.task, best.label]);
        assert.ok(Math.abs(p.confidence - best.value) < 1e-6, `confidence ${p.confidence} against ${best.value}`);
        assert.equal(p.labelScores![0]!.label, p.output);

        const scored = new Set(p.labelScores!.map((s) => s.task));
        assert.ok(scored.has(p.routes[0]!.task));
        if (!scored.has(p.routes[1]!.task)) {
            assert.ok(p.routes[1]!.probability <= p.confidence, `route ${p.routes[1]!.probability} > answer ${p.confidence}`);
            skipped++;
        }
    });
    return {skipped, total: predictions.length};
}
