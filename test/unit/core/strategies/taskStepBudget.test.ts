import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {defaultConpetSettings} from "../../../../src/core/settings/conpetSettingsSchema";
import {getTaskSteps, minimumBudgetSteps} from "../../../../src/core/strategies/utils/taskStepBudget";

const defaults = {stepsPerTask: 200, epochsPerTask: 20, batchSize: 8, maxSamplesPerTask: 2000};

describe("getTaskSteps", () => {
    test("a small task trains its passes, not the whole budget: 30 samples × 20 / 8 = 75 steps; 50 samples → 125", () => {
        assert.equal(getTaskSteps(defaults, 30), 75);
        assert.equal(getTaskSteps(defaults, 50), 125);
        assert.equal(getTaskSteps(defaults, 33), 83);
    });

    test("fewer samples than the floor's passes still train the floor", () => {
        assert.equal(minimumBudgetSteps, 75);
        assert.equal(getTaskSteps(defaults, 10), 75);
        assert.equal(getTaskSteps(defaults, 0), 75);
    });

    test("a task large enough for the budget keeps stepsPerTask (the shared suites' full training sets)", () => {
        assert.equal(getTaskSteps(defaults, 80), 200);
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
        assert.equal(getTaskSteps({...defaults, maxSamplesPerTask: 100, stepsPerTask: 10_000}, 5000), 250);
        assert.equal(getTaskSteps({...defaults, batchSize: 4}, 30), 150);
        assert.equal(getTaskSteps({...defaults, epochsPerTask: 2.5}, 300), 94);
    });

    test("the shipped defaults are the ones measured: 30 examples 75 steps, the full suites 200", () => {
        assert.equal(getTaskSteps(defaultConpetSettings, 30), 75);
        assert.equal(getTaskSteps(defaultConpetSettings, 400), 200);
    });
});
