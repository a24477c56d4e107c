import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {JointBaselineStrategy} from "../../../src/core/strategies/JointBaselineStrategy";
import {createCoreFixture, createStrategyContext, smallSettings, type CoreFixture} from "./coreTestFixture";
import {assertAnswersFromUnionOfLabels, learnTwoSentimentTasks, type TwoTaskRun} from "./sharedStrategyChecks";

describe("JointBaselineStrategy on stories260K", () => {
    let fixture: CoreFixture;
    let strategy: JointBaselineStrategy;
    let result: TwoTaskRun;

    before(async () => {
        fixture = await createCoreFixture();
        strategy = new JointBaselineStrategy(createStrategyContext(fixture, {mode: "joint"}));
        result = await learnTwoSentimentTasks(fixture, strategy);
    });
    after(async () => fixture?.dispose());

    test("after the second task, a fresh LoRA is trained on both tasks' data with both step budgets", () => {
        const secondRun = result.runs[1]!;
        assert.equal(secondRun.details.initAdapterPath, undefined);
        assert.equal(secondRun.details.replay, undefined);
        assert.equal(secondRun.details.sampleCount, 48);
        assert.equal(secondRun.details.steps, 2 * smallSettings.stepsPerTask!);
    });

    test("answers task-agnostically from the union of the learned labels", () => assertAnswersFromUnionOfLabels(strategy, result));
});
