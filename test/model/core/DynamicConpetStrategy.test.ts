import assert from "node:assert/strict";
import {readFile} from "node:fs/promises";
import {after, before, describe, test} from "node:test";
import {DynamicConpetStrategy} from "../../../src/core/strategies/DynamicConpetStrategy";
import {createCoreFixture, createStrategyContext, type CoreFixture} from "./coreTestFixture";
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
        const json = JSON.parse(await readFile(fixture.store.resolveModulePath(selector), "utf8")) as {kind: string; classifier: {taskIds: number[]}};
        assert.equal(json.kind, "embedding");
        assert.deepEqual(json.classifier.taskIds, [result.first.id, result.second.id].sort((a, b) => a - b));
    });

    test("top-2 routing scores each module's own labels and answers with the most probable (task, label) over the union", async () => {
        const predictions = await strategy.predict(result.test.map((s) => s.input));
        const all = [...result.first.labels, ...result.second.labels];
        for (const p of predictions) {
            assert.equal(p.routes.length, 2);
            assert.deepEqual(new Set(p.labelScores!.map((s) => s.label)), new Set(all));
            // p(task | input) · softmax of the task's own label scores, recomputed from the parts.
            const joint = p.labelScores!.map((s) => {
                const ownScores = p.labelScores!.filter((other) => other.task === s.task).map((other) => other.score);
                const labelProbability = Math.exp(s.score) / ownScores.reduce((sum, score) => sum + Math.exp(score), 0);
                return {label: s.label, value: p.routes.find((r) => r.task === s.task)!.probability * labelProbability};
            });
            const best = joint.reduce((a, b) => (b.value > a.value ? b : a));
            assert.equal(p.output, best.label);
            assert.ok(Math.abs(p.confidence - best.value) < 1e-9);
            assert.equal(p.labelScores![0]!.label, p.output);
        }
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
