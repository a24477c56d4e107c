import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {ReplaySampler, createArrayReplaySource, getReplayRatio} from "../../../src/core/replay/ReplaySampler";

function makeTasks(sizes: number[]) {
    return new Map(sizes.map((size, taskId) => [
        taskId,
        Array.from({length: size}, (_, i) => ({input: `task ${taskId} input ${i}`, output: `t${taskId}-${i % 3}`}))
    ]));
}

describe("ReplaySampler", () => {
    test("a run holds all new samples and a replay pool of steps × round(ratio × batch)", async () => {
        const tasks = makeTasks([50, 80, 30]);
        const sampler = new ReplaySampler({source: createArrayReplaySource(tasks), seed: 1});
        const set = await sampler.buildTrainingSet({newTaskId: 2, oldTaskIds: [0, 1], steps: 100, batchSize: 8, replayRatio: 0.5});
        assert.equal(set.newCount, 30);
        assert.equal(set.replayPerBatch, 4);
        assert.equal(set.replayCount, 400);
        assert.equal(set.samples.filter((s) => !s.replayed).every((s) => s.taskId === 2), true);
        assert.equal(set.samples.filter((s) => s.replayed).every((s) => s.taskId === 0 || s.taskId === 1), true);
    });

    test("old tasks are drawn uniformly whatever their size, then samples uniformly within them", async () => {
        const tasks = makeTasks([10, 1000, 100, 40]);
        const sampler = new ReplaySampler({source: createArrayReplaySource(tasks), seed: 7});
        const draws = await sampler.sampleUniform([0, 1, 2], 30000);
        const perTask = [0, 1, 2].map((id) => draws.filter((d) => d.taskId === id).length / draws.length);
        for (const share of perTask)
            assert.ok(Math.abs(share - 1 / 3) < 0.02, `task share ${share} should be about 1/3`);

        const withinTask0 = new Map<string, number>();
        for (const draw of draws.filter((d) => d.taskId === 0))
            withinTask0.set(draw.input, (withinTask0.get(draw.input) ?? 0) + 1);
        assert.equal(withinTask0.size, 10);
        const expected = perTask[0]! * draws.length / 10;
        for (const count of withinTask0.values())
            assert.ok(Math.abs(count - expected) / expected < 0.15, `sample count ${count} should be about ${expected}`);
    });

    test("the replay cost is the same with 1 or 20 old tasks", async () => {
        const tasks = makeTasks(Array.from({length: 21}, (_, i) => 20 + i * 7));
        const options = {newTaskId: 20, steps: 50, batchSize: 8, replayRatio: 0.5};
        const one = await new ReplaySampler({source: createArrayReplaySource(tasks), seed: 3}).buildTrainingSet({...options, oldTaskIds: [0]});
        const twenty = await new ReplaySampler({source: createArrayReplaySource(tasks), seed: 3})
            .buildTrainingSet({...options, oldTaskIds: Array.from({length: 20}, (_, i) => i)});
        assert.equal(one.samples.length, twenty.samples.length);
        assert.equal(one.replayCount, 200);
        assert.equal(twenty.replayCount, 200);
        assert.equal(new Set(twenty.samples.filter((s) => s.replayed).map((s) => s.taskId)).size, 20);
    });

    test("the ratio sets the replayed share and is capped at 0.9", async () => {
        const tasks = makeTasks([100, 100]);
        const source = createArrayReplaySource(tasks);
        const quarter = await new ReplaySampler({source}).buildTrainingSet({newTaskId: 1, oldTaskIds: [0], steps: 10, batchSize: 8, replayRatio: 0.25});
        assert.equal(quarter.replayPerBatch, 2);
        const capped = await new ReplaySampler({source}).buildTrainingSet({newTaskId: 1, oldTaskIds: [0], steps: 10, batchSize: 10, replayRatio: 5});
        assert.equal(capped.replayPerBatch, 9);
        const none = await new ReplaySampler({source}).buildTrainingSet({newTaskId: 0, oldTaskIds: [], steps: 10, batchSize: 8, replayRatio: 0.5});
        assert.equal(none.replayCount, 0);
        assert.equal(none.newCount, 100);
    });

    test("balanced replay gives every task the same share of a run", async () => {
        assert.equal(getReplayRatio(0.5, 1, true), 0.5);
        assert.equal(getReplayRatio(0.5, 3, true), 0.75);
        assert.equal(getReplayRatio(0.8, 2, true), 0.8);
        assert.equal(getReplayRatio(0.5, 30, true), 0.9);
        assert.equal(getReplayRatio(0.5, 3, false), 0.5);

        const tasks = makeTasks([100, 100, 100, 100]);
        const options = {newTaskId: 3, oldTaskIds: [0, 1, 2], steps: 400, batchSize: 8, replayRatio: 0.5};
        const balanced = await new ReplaySampler({source: createArrayReplaySource(tasks), seed: 5}).buildTrainingSet({...options, balanced: true});
        const fixed = await new ReplaySampler({source: createArrayReplaySource(tasks), seed: 5}).buildTrainingSet(options);
        assert.equal(balanced.replayRatio, 0.75);
        assert.equal(balanced.replayPerBatch, 6);
        assert.equal(fixed.replayRatio, 0.5);
        // Per batch: 2 new samples and 6 replayed, about 2 from each old task.
        for (const taskId of [0, 1, 2]) {
            const perBatch = balanced.samples.filter((s) => s.replayed && s.taskId === taskId).length / options.steps;
            assert.ok(Math.abs(perBatch - 2) < 0.2, `old task ${taskId}: ${perBatch} per batch, want about 2`);
        }
        const first = await new ReplaySampler({source: createArrayReplaySource(tasks), seed: 5}).buildTrainingSet({...options, oldTaskIds: [], balanced: true});
        assert.equal(first.replayRatio, 0);
    });

    test("the same seed gives the same run; another seed a different one", async () => {
        const tasks = makeTasks([60, 60, 60]);
        const options = {newTaskId: 2, oldTaskIds: [0, 1], steps: 20, batchSize: 4, replayRatio: 0.5, maxNewSamples: 40};
        const a = await new ReplaySampler({source: createArrayReplaySource(tasks), seed: 11}).buildTrainingSet(options);
        const b = await new ReplaySampler({source: createArrayReplaySource(tasks), seed: 11}).buildTrainingSet(options);
        const c = await new ReplaySampler({source: createArrayReplaySource(tasks), seed: 12}).buildTrainingSet(options);
        assert.deepEqual(a, b);
        assert.notDeepEqual(a.samples, c.samples);
        assert.equal(a.newCount, 40);
    });

    test("samplePerTask takes at most the bound of distinct samples per task", async () => {
        const tasks = makeTasks([5, 300]);
        const samples = await new ReplaySampler({source: createArrayReplaySource(tasks)}).samplePerTask([0, 1], 64);
        assert.equal(samples.filter((s) => s.taskId === 0).length, 5);
        const ofTask1 = samples.filter((s) => s.taskId === 1);
        assert.equal(ofTask1.length, 64);
        assert.equal(new Set(ofTask1.map((s) => s.input)).size, 64);
    });
});
