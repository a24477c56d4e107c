// The training notification's line: every phase named and estimated, durations with their units. The
// estimate counts what each phase has left, including measuring, which grows with every task learned.
import assert from "node:assert/strict";
import type {ConpetTrainProgress} from "../../../src/core/Conpet/types";
import {TrainingEstimator} from "../../../src/extension/training/TrainingEstimator";
import {formatDuration} from "../../../src/extension/utils/formatDuration";
import {formatTimeLeft, formatTrainingProgress, roundRoughly} from "../../../src/extension/utils/formatTrainingProgress";

suite("training progress", () => {
    test("durations carry their units, so 31 minutes never reads like a clock time", () => {
        assert.equal(formatDuration(45), "45 s");
        assert.equal(formatDuration(383), "6 min 23 s");
        assert.equal(formatDuration(1860), "31 min");
        assert.equal(formatDuration(3900), "1 h 5 min");
    });

    test("the line names the phase, and says \"at least\" while a phase has not been timed", () => {
        const progress = {phase: "evaluate", task: "log-level", taskIndex: 0, taskCount: 2, step: 20, totalSteps: 50} as const;
        assert.equal(formatTrainingProgress(progress, {seconds: 1860, lowerBound: false}), "log-level (1/2) · measuring accuracy, sample 20/50 · about 31 min left");
        assert.equal(formatTrainingProgress({...progress, phase: "selector", totalSteps: 0}, {seconds: 90, lowerBound: true}), "log-level (1/2) · retraining the selector · at least 1 min 30 s left");
    });

    test("before anything is timed: the estimate from earlier runs, rounded and said so, or \"estimating…\"", () => {
        const progress = {phase: "task", task: "log-level", taskIndex: 0, taskCount: 1, step: 0, totalSteps: 40} as const;
        assert.equal(formatTrainingProgress(progress, undefined), "log-level (1/1) · training its module, step 0/40 · estimating…");
        assert.equal(formatTimeLeft(null), "estimating…");
        assert.equal(formatTimeLeft({seconds: 383, lowerBound: false, fromEarlierRuns: true}), "about 6 min left (from earlier runs)");
        assert.equal(formatTimeLeft({seconds: 44, lowerBound: false, fromEarlierRuns: true}), "about 40 s left (from earlier runs)");
        assert.equal(roundRoughly(2), 10, "never \"about 0 s\"");
        assert.equal(roundRoughly(3 * 3600 + 130), 3 * 3600);
    });

    test("a small task's budget counts as its own steps, not stepsPerTask", () => {
        let now = 0;
        const estimator = new TrainingEstimator({taskSteps: [200, 40], measuredSamples: [0, 0], selectorPerTask: false}, () => now);
        estimator.report({phase: "task", task: "big", taskIndex: 0, step: 0, totalSteps: 200, taskCount: 2, fraction: 0});
        now = 50_000;
        // 0.5 s per step: 100 steps of the first task and the second task's 40 are left, not 100 + 200.
        assert.deepEqual(estimator.report({phase: "task", task: "big", taskIndex: 0, step: 100, totalSteps: 200, taskCount: 2, fraction: 0}), {seconds: 70, lowerBound: false});
    });

    test("the estimate covers the remaining steps, selector runs and the measuring that grows with each task", () => {
        let now = 0;
        // Two tasks of 100 steps; 40 samples measured after the first (one task), 80 after the second (two tasks).
        const estimator = new TrainingEstimator({taskSteps: [100, 100], measuredSamples: [40, 80], selectorPerTask: true}, () => now);
        const at = (seconds: number, progress: Omit<ConpetTrainProgress, "taskCount" | "fraction">) => {
            now = seconds * 1000;
            return estimator.report({...progress, taskCount: 2, fraction: 0});
        };
        assert.equal(at(0, {phase: "task", task: "a", taskIndex: 0, step: 0, totalSteps: 100}), undefined, "nothing timed yet");
        // 1 s per step.
        const training = at(50, {phase: "task", task: "a", taskIndex: 0, step: 50, totalSteps: 100});
        assert.deepEqual(training, {seconds: 150, lowerBound: true}, "50 + 100 steps left; the selector and measuring are not timed yet");
        at(100, {phase: "selector", task: "a", taskIndex: 0, step: 0, totalSteps: 0});
        // The selector took 20 s; measuring then takes 0.5 s per sample.
        at(120, {phase: "evaluate", task: "a", taskIndex: 0, step: 0, totalSteps: 40});
        const measuring = at(130, {phase: "evaluate", task: "a", taskIndex: 0, step: 20, totalSteps: 40});
        // Left: 20 samples now, then 100 steps, one selector run and 80 samples: 10 + 100 + 20 + 40.
        assert.deepEqual(measuring, {seconds: 170, lowerBound: false});
    });
});
