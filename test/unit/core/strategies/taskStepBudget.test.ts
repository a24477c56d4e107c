import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {defaultConpetSettings} from "../../../../src/core/settings/conpetSettingsSchema";
import {getTaskSteps, minimumBudgetSteps} from "../../../../src/core/strategies/utils/taskStepBudget";

const defaults = {stepsPerTask: 200, epochsPerTask: 10, batchSize: 8, maxSamplesPerTask: 2000};

describe("getTaskSteps", () => {
    test("a small task trains its passes, not the whole budget: 30 samples × 10 / 8 = 37.5 → the 40-step floor; 100 samples → 125", () => {
        assert.equal(getTaskSteps(defaults, 30), minimumBudgetSteps);
        assert.equal(getTaskSteps(defaults, 100), 125);
        assert.equal(getTaskSteps(defaults, 33), 42);
    });

    test("a task large enough for the budget keeps stepsPerTask (the shared suites' full training sets)", () => {
        assert.equal(getTaskSteps(defaults, 160), 200);
        assert.equal(getTaskSteps(defaults, 480), 200);
        assert.equal(getTaskSteps(defaults, 1_000_000), 200);
    });

    test("the floor never exceeds stepsPerTask, and a task without samples gets the floor", () => {
        assert.equal(getTaskSteps({...defaults, stepsPerTask: 25}, 5), 25);
        assert.equal(getTaskSteps(defaults, 0), minimumBudgetSteps);
    });

    test("epochsPerTask 0 turns the budget off: always stepsPerTask", () => {
        assert.equal(getTaskSteps({...defaults, epochsPerTask: 0}, 30), 200);
        assert.equal(getTaskSteps({...defaults, epochsPerTask: 0, stepsPerTask: 75}, 3), 75);
    });

    test("samples beyond the store's cap do not count (the run never sees them), and the batch size scales the steps", () => {
        assert.equal(getTaskSteps({...defaults, maxSamplesPerTask: 100, stepsPerTask: 10_000}, 5000), 125);
        assert.equal(getTaskSteps({...defaults, batchSize: 2}, 30), 150);
    });

    test("the shipped defaults are the ones measured", () => {
        assert.equal(getTaskSteps(defaultConpetSettings, 30), 40);
        assert.equal(getTaskSteps(defaultConpetSettings, 480), 200);
    });
});
