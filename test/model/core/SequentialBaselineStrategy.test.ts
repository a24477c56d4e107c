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
        strategy = new SequentialBaselineStrategy(createStrategyContext(fixture, {mode: "sequential", threads: 0}));
        result = await learnTwoSentimentTasks(fixture, strategy);
    });
    after(async () => fixture?.dispose());

    test("the second task continues the same LoRA on its own samples only, without replay", () => {
        const secondRun = result.runs[1]!;
        assert.equal(secondRun.details.replay, undefined);
        assert.equal(typeof secondRun.details.initAdapterPath, "string");
        assert.equal(secondRun.details.sampleCount, 24);
    });

    test("with threads 0 the trainer runs with the engine's thread count (the math cores), not its own guess", () => {
        // The fixture's engine runs with 1 thread; the trainer's own default would be every hardware thread.
        for (const run of result.runs)
            assert.equal(run.details.threads, fixture.threads);
    });

    test("answers task-agnostically from the union of the learned labels", () => assertAnswersFromUnionOfLabels(strategy, result));
});
