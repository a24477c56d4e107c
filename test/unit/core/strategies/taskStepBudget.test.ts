import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {defaultConpetSettings} from "../../../../src/core/settings/conpetSettingsSchema";
import {getTaskSteps, minimumBudgetSteps} from "../../../../src/core/strategies/utils/taskStepBudget";

const defaults = {stepsPerTask: 200, epochsPerTask: 25, batchSize: 8, maxSamplesPerTask: 2000};

describe("getTaskSteps", () => {
    test("a small task trains its passes, not the whole budget: 40 samples × 25 / 8 = 125 steps; 50 → 157", () => {
        assert.equal(getTaskSteps(defaults, 40), 125);
        assert.equal(getTaskSteps(defaults, 50), 157);
    });

    test("a task whose passes are fewer than the floor's steps trains the floor: 30 samples → 100", () => {
        assert.equal(minimumBudgetSteps, 100);
        assert.equal(getTaskSteps(defaults, 30), 100);
        assert.equal(getTaskSteps(defaults, 1), 100);
        assert.equal(getTaskSteps(defaults, 0), 100);
    });

    test("a task large enough for the budget keeps stepsPerTask (the shared suites' full training sets)", () => {
        assert.equal(getTaskSteps(defaults, 64), 200);
        assert.equal(getTaskSteps(defaults, 480), 200);
        assert.equal(getTaskSteps(defaults, 1_000_000), 200);
    });

    test("the floor never exceeds stepsPerTask", () => {
        assert.equal(getTaskSteps({...defaults, stepsPerTask: 25}, 5), 25);
        assert.equal(getTaskSteps({...defaults, stepsPerTask: 6}, 60), 6);
    });

    test("epochsPerTask 0 turns the budget off: always stepsPerTask", () => {
        assert.equal(getTaskSteps({...defaults, epochsPerTask: 0}, 30), 200);
        assert.equal(getTaskSteps({...defaults, epochsPerTask: 0, stepsPerTask: 90}, 3), 90);
    });

    test("samples beyond the store's cap do not count (the run never sees them), and the batch size scales the steps", () => {
        assert.equal(getTaskSteps({...defaults, maxSamplesPerTask: 100, stepsPerTask: 10_000}, 5000), 313);
        assert.equal(getTaskSteps({...defaults, batchSize: 4}, 30), 188);
        assert.equal(getTaskSteps({...defaults, epochsPerTask: 2.5}, 500), 157);
    });

    test("the shipped defaults are the ones measured: 30 examples 100 steps, the full suites 200", () => {
        assert.equal(getTaskSteps(defaultConpetSettings, 30), 100);
        assert.equal(getTaskSteps(defaultConpetSettings, 400), 200);
    });
});
