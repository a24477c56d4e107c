/**
 * What the extension relies on when the engine misbehaves: a killed engine process rejects its
 * requests with ENGINE_CRASHED and comes back (model reloaded) on the next request; timeouts and
 * cancellation end a request without ending the engine; dispose ends everything.
 */
import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {setTimeout as delay} from "node:timers/promises";
import {ConpetError} from "../../src/vocabulary/errors";
import type {EngineClient, EngineClientOptions, EngineCrash} from "../../src/engine/client/EngineClient";
import {EngineCrashedError} from "../../src/engine/client/EngineCrashedError";
import {createTestEngineClient, getTestLoadParams} from "./engineTestClient";

/** Enough score work to keep the engine busy for a good while on any machine (thousands of evaluations). */
const slowScore = {items: Array.from({length: 3000}, (_, index) => ({prompt: `Lily had ${index} red balls and`, completions: ["she played", "he ran to the park"]}))};
const quickScore = {items: [{prompt: "Once upon a time, there was a little", completions: ["girl", "refrigerator"]}]};

async function rejection(promise: Promise<unknown>): Promise<ConpetError> {
    const err: unknown = await promise.then(() => null, (error: unknown) => error);
    assert.ok(err instanceof ConpetError, `expected a ConpetError, got ${String(err)}`);
    return err;
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** True once the process is gone (within 5 s). */
async function waitForExit(pid: number): Promise<boolean> {
    for (let i = 0; i < 100 && isAlive(pid); i++)
        await delay(50);
    return !isAlive(pid);
}

/** A client with the reference model loaded, disposed afterwards. */
async function withLoadedEngine(run: (client: EngineClient) => Promise<void>, options: Partial<EngineClientOptions> = {}): Promise<void> {
    const client = createTestEngineClient(options);
    try {
        await client.load(getTestLoadParams());
        await run(client);
    } finally {
        client.dispose();
    }
}

describe("engine recovery", () => {
    test("a killed engine rejects the pending request with ENGINE_CRASHED, and the next request restarts it with the model", () => withLoadedEngine(async (client) => {
        const before = await client.score(quickScore);
        const firstPid = client.pid!;
        const crashes: EngineCrash[] = [];
        client.onDidCrash((crash) => crashes.push(crash));

        const pending = client.score(slowScore);
        await delay(300);
        process.kill(firstPid, "SIGKILL");
        const err = await rejection(pending);
        assert.equal(err.code, "ENGINE_CRASHED");
        assert.ok(err instanceof EngineCrashedError);
        assert.equal(err.signal, "SIGKILL");
        assert.equal(crashes.length, 1);
        assert.equal(crashes[0]!.signal, "SIGKILL");

        // Transparent restart: the model comes back without an explicit load.
        const after = await client.score(quickScore);
        assert.notEqual(client.pid, firstPid);
        assert.deepEqual(after, before);
        assert.equal((await client.info())?.modelPath, getTestLoadParams().modelPath);
    }));

    test("a load that crashes the engine is not followed by a silent reload of the previous model", () => withLoadedEngine(async (client) => {
        const firstPid = client.pid!;
        const loading = client.load(getTestLoadParams({contextSize: 128}));
        await delay(1);
        process.kill(firstPid, "SIGKILL");
        assert.equal((await rejection(loading)).code, "ENGINE_CRASHED");
        assert.equal(await client.info(), null);
        assert.notEqual(client.pid, firstPid);
    }));

    test("a request past its timeout rejects with ENGINE_TIMEOUT, is cancelled in the engine, and the engine keeps serving", () => withLoadedEngine(async (client) => {
        const pid = client.pid;
        const err = await rejection(client.score(slowScore, {timeoutMs: 200}));
        assert.equal(err.code, "ENGINE_TIMEOUT");
        assert.equal(err.data?.method, "score");
        const result = await client.score(quickScore, {timeoutMs: 30_000});
        assert.equal(result.logProbs.length, 1);
        assert.equal(client.pid, pid, "a cancelled request must not cost a restart");
    }));

    test("an aborted request rejects with CANCELLED, already-aborted signals never reach the engine", () => withLoadedEngine(async (client) => {
        const controller = new AbortController();
        const pending = client.score(slowScore, {signal: controller.signal});
        setTimeout(() => controller.abort(), 100);
        assert.equal((await rejection(pending)).code, "CANCELLED");
        assert.equal((await rejection(client.score(quickScore, {signal: AbortSignal.abort()}))).code, "CANCELLED");
        assert.equal((await client.score(quickScore)).logProbs.length, 1);
    }));

    test("an engine stuck past the grace period after a timeout is killed and restarted", () => withLoadedEngine(async (client) => {
        const firstPid = client.pid!;
        const crashes: EngineCrash[] = [];
        client.onDidCrash((crash) => crashes.push(crash));
        // The engine checks for cancellation between items; a 1 ms grace is shorter than that.
        assert.equal((await rejection(client.score(slowScore, {timeoutMs: 100}))).code, "ENGINE_TIMEOUT");
        assert.equal(await waitForExit(firstPid), true, "the engine process must be gone");
        assert.equal(crashes.length, 1);
        assert.equal((await client.score(quickScore)).logProbs.length, 1);
    }, {stuckGraceMs: 1}));

    test("dispose kills the process, rejects pending requests with DISPOSED, and is idempotent", async () => {
        const client = createTestEngineClient();
        await client.load(getTestLoadParams());
        const pid = client.pid!;
        let disposeEvents = 0;
        client.onDispose(() => disposeEvents++);
        const crashes: EngineCrash[] = [];
        client.onDidCrash((crash) => crashes.push(crash));
        const pending = client.score(slowScore);
        await delay(50);
        client.dispose();
        client.dispose();
        assert.equal((await rejection(pending)).code, "DISPOSED");
        assert.equal((await rejection(client.info())).code, "DISPOSED");
        assert.equal(disposeEvents, 1);
        assert.equal(await waitForExit(pid), true, "the engine process must be gone");
        assert.equal(crashes.length, 0, "dispose is not a crash");
    });
});
