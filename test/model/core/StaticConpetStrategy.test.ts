import assert from "node:assert/strict";
import {after, before, describe, test} from "node:test";
import {StaticConpetStrategy} from "../../../src/core/strategies/StaticConpetStrategy";
import {createCoreFixture, createStrategyContext, smallSettings, type CoreFixture} from "./coreTestFixture";
import {assertAnswersFromUnionOfLabels, learnTwoSentimentTasks, type TwoTaskRun} from "./sharedStrategyChecks";

describe("StaticConpetStrategy on stories260K", () => {
    let fixture: CoreFixture;
    let strategy: StaticConpetStrategy;
    let result: TwoTaskRun;

    before(async () => {
        fixture = await createCoreFixture();
        strategy = new StaticConpetStrategy(createStrategyContext(fixture, {mode: "static"}));
        result = await learnTwoSentimentTasks(fixture, strategy);
    });
    after(async () => fixture?.dispose());

    test("the second task continues the shared LoRA with a fixed replay pool from the first", async () => {
        const [firstRun, secondRun] = result.runs;
        assert.equal(firstRun!.details.replay, undefined);
        assert.equal(firstRun!.details.initAdapterPath, undefined);
        assert.deepEqual(secondRun!.details.replay, {newGroup: result.second.id, ratio: 0.5});
        assert.equal(typeof secondRun!.details.initAdapterPath, "string");
        const replayed = smallSettings.stepsPerTask! * Math.round(0.5 * smallSettings.batchSize!);
        assert.equal(secondRun!.details.sampleCount, 24 + replayed);
        assert.equal(secondRun!.details.steps, smallSettings.stepsPerTask);
        const shared = (await fixture.store.listModules()).filter((m) => m.kind === "shared-lora");
        assert.equal(shared.length, 1);
    });

    test("answers task-agnostically from the union of the learned labels", () => assertAnswersFromUnionOfLabels(strategy, result));
});
