/**
 * The request timeout measures the engine's silence, not the length of the work: a batch that
 * takes several times the timeout on a loaded machine finishes (it reports progress), a request
 * queued behind it too, while an engine that stops working (SIGSTOP) still times out and is
 * restarted. (A `conpet bench` lost 30 minutes of training to a fixed 120 s `score` deadline.)
 */
import assert from "node:assert/strict";
import {test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import {createTestEngineClient, getTestLoadParams} from "./engineTestClient";

const timeoutMs = 1000;
const longScore = {items: Array.from({length: 600}, (_, index) => ({prompt: `Lily had ${index} red balls and`, completions: ["she played", "he ran to the park"]}))};
const quickScore = {items: [{prompt: "Once upon a time, there was a little", completions: ["girl", "refrigerator"]}]};

test("a score batch longer than the timeout finishes, and so does a request queued behind it", async (t) => {
    const client = createTestEngineClient({requestTimeoutMs: timeoutMs});
    t.after(() => client.dispose());
    await client.load(getTestLoadParams());
    const started = performance.now();
    const [long, queued] = await Promise.all([client.score(longScore), client.score(quickScore)]);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds > 2 * timeoutMs / 1000, `the batch must outlast the timeout to test anything (took ${seconds.toFixed(1)} s)`);
    assert.equal(long.logProbs.length, longScore.items.length);
    assert.equal(queued.logProbs.length, 1);
});

test("an engine that stops making progress (SIGSTOP) still times out, and is replaced", async (t) => {
    const client = createTestEngineClient({requestTimeoutMs: timeoutMs, stuckGraceMs: 500});
    t.after(() => client.dispose());
    await client.load(getTestLoadParams());
    const stoppedPid = client.pid!;
    const crashed = new Promise((resolve) => client.onDidCrash(resolve));
    const pending = client.score(longScore);
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(stoppedPid, "SIGSTOP");
    const started = performance.now();
    const err: unknown = await pending.then(() => null, (error: unknown) => error);
    assert.ok(ConpetError.is(err, "ENGINE_TIMEOUT"), String(err));
    assert.match(err.message, /made no progress on "score"/);
    assert.ok(performance.now() - started < 10 * timeoutMs);
    // The stuck engine is killed after the grace period (SIGKILL ends a stopped process) and the next request gets a new one.
    await crashed;
    assert.equal((await client.score(quickScore)).logProbs.length, 1);
    assert.notEqual(client.pid, stoppedPid);
});
