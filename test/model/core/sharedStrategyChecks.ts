import assert from "node:assert/strict";
import type {ConpetStrategy} from "../../../src/core/strategies/types";
import type {Task, TrainingRun} from "../../../src/vocabulary/types";
import {addSuiteTask, type CoreFixture} from "./coreTestFixture";

export type TwoTaskRun = {first: Task; second: Task; runs: TrainingRun[]; test: {input: string; output: string}[]};

/** Learns amazon then imdb (sentiment-domains, small subsets) and returns the succeeded runs in order. */
export async function learnTwoSentimentTasks(fixture: CoreFixture, strategy: ConpetStrategy): Promise<TwoTaskRun> {
    const amazon = await addSuiteTask(fixture.store, "sentiment-domains", "amazon", {train: 24, test: 8});
    const imdb = await addSuiteTask(fixture.store, "sentiment-domains", "imdb", {train: 24, test: 8});
    await strategy.learnTask(amazon.task);
    await strategy.learnTask(imdb.task);
    const runs = (await fixture.store.listRuns()).filter((r) => r.status === "succeeded").sort((a, b) => a.id - b.id);
    return {first: amazon.task, second: imdb.task, runs, test: [...amazon.test, ...imdb.test]};
}

/** A single-LoRA mode answers with a label of one of the learned tasks, scoring all their labels. */
export async function assertAnswersFromUnionOfLabels(strategy: ConpetStrategy, {first, second, test}: TwoTaskRun): Promise<void> {
    const labels = [...first.labels, ...second.labels];
    const predictions = await strategy.predict(test.map((s) => s.input));
    assert.equal(predictions.length, test.length);
    for (const p of predictions) {
        assert.ok(labels.includes(p.output), `${p.output} is a learned label`);
        assert.deepEqual(new Set(p.labelScores!.map((s) => s.label)), new Set(labels));
        assert.equal(p.task, first.labels.includes(p.output) ? first.name : second.name);
    }
    assert.deepEqual((await strategy.getLearnedTaskIds()).sort(), [first.id, second.id].sort());
}
