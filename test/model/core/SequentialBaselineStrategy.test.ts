import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {SequentialBaselineStrategy} from "../../../src/core/strategies/SequentialBaselineStrategy";
import {createCoreFixture, createStrategyContext, type CoreFixture} from "./coreTestFixture";
import {assertAnswersFromUnionOfLabels, learnTwoSentimentTasks, type TwoTaskRun} from "./sharedStrategyChecks";

describe("SequentialBaselineStrategy on stories260K", () => {
    let fixture: CoreFixture;
    let strategy: SequentialBaselineStrategy;
    let result: TwoTaskRun;

    before(async () => {
        fixture = await createCoreFixture();
        strategy = new SequentialBaselineStrategy(createStrategyContext(fixture, {mode: "sequential"}));
        result = await learnTwoSentimentTasks(fixture, strategy);
    });
    after(async () => fixture?.dispose());

    test("the second task continues the same LoRA on its own samples only, without replay", () => {
        const secondRun = result.runs[1]!;
        assert.equal(secondRun.details.replay, undefined);
        assert.equal(typeof secondRun.details.initAdapterPath, "string");
        assert.equal(secondRun.details.sampleCount, 24);
    });

    test("answers task-agnostically from the union of the learned labels", () => assertAnswersFromUnionOfLabels(strategy, result));
});
