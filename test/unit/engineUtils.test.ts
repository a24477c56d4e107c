import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import {EventListeners} from "../../src/vocabulary/EventListeners";
import {SerialQueue} from "../../src/engine/process/utils/SerialQueue";

describe("SerialQueue", () => {
    test("runs jobs one at a time in arrival order, and a failure doesn't block the next", async () => {
        const queue = new SerialQueue();
        const events: string[] = [];
        const job = (name: string, ms: number, fail = false) => async () => {
            events.push(`start ${name}`);
            await new Promise((resolve) => setTimeout(resolve, ms));
            events.push(`end ${name}`);
            if (fail)
                throw new Error(name);
            return name;
        };
        const results = await Promise.allSettled([queue.run(job("a", 30)), queue.run(job("b", 1, true)), queue.run(job("c", 1))]);
        assert.deepEqual(events, ["start a", "end a", "start b", "end b", "start c", "end c"]);
        assert.deepEqual(results.map((result) => result.status), ["fulfilled", "rejected", "fulfilled"]);
    });

    test("drops a waiting job whose signal aborted, with CANCELLED", async () => {
        const queue = new SerialQueue();
        const controller = new AbortController();
        let ran = false;
        const first = queue.run(() => new Promise((resolve) => setTimeout(resolve, 20)));
        const second = queue.run(async () => {
            ran = true;
        }, controller.signal);
        controller.abort();
        await first;
        await assert.rejects(second, (err: unknown) => ConpetError.is(err, "CANCELLED"));
        assert.equal(ran, false);
    });
});

describe("EventListeners", () => {
    test("delivers to every listener even if one throws, and unsubscribes", () => {
        const thrown: unknown[] = [];
        const listeners = new EventListeners<number>((err) => thrown.push(err));
        const seen: number[] = [];
        listeners.event(() => {
            throw new Error("broken listener");
        });
        const subscription = listeners.event((value) => seen.push(value));
        listeners.fire(1);
        subscription.dispose();
        listeners.fire(2);
        assert.deepEqual(seen, [1]);
        assert.deepEqual(thrown.map((err) => (err as Error).message), ["broken listener", "broken listener"], "the owner hears what a listener threw");
    });
});
