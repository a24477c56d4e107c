import assert from "node:assert/strict";
import {spawn, type ChildProcess} from "node:child_process";
import {once} from "node:events";
import path from "node:path";
import {createInterface} from "node:readline";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import {ConpetError} from "../../../src/vocabulary/errors";
import {ConpetStore} from "../../../src/store/ConpetStore";
import {TrainingBusyError} from "../../../src/store/errors";
import {createTempDirectory} from "./createTempDirectory";
import {openTempStore} from "./openTempStore";

const here = path.dirname(fileURLToPath(import.meta.url));

function firstLine(child: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
        const lines = createInterface({input: child.stdout!});
        lines.once("line", resolve);
        child.once("exit", (code) => reject(new Error(`child ${child.pid} exited with ${code} before a line`)));
    });
}

test("four processes racing for one store's training lease: exactly one wins, the others are told who trains", async (t) => {
    const directory = await createTempDirectory(t);
    // Created first, so the children race for the lease rather than for the schema.
    await (await ConpetStore.open({directory})).dispose();
    // Starting node with tsx takes a while on a loaded machine; every child waits until this moment.
    const startAt = String(Date.now() + 8000);
    const children = Array.from({length: 4}, () => spawn(process.execPath, ["--import", "tsx", path.join(here, "fixtures/holdTrainingLease.ts"), directory, startAt], {stdio: ["ignore", "pipe", "inherit"]}));
    t.after(() => children.forEach((child) => child.kill("SIGKILL")));
    const lines = await Promise.all(children.map(firstLine));

    const winners = children.filter((_, i) => lines[i] === "acquired");
    assert.equal(winners.length, 1, lines.join(", "));
    const owner = winners[0]!;
    for (const line of lines.filter((l) => l !== "acquired"))
        assert.equal(line, `busy ${owner.pid}`);

    const store = await ConpetStore.open({directory});
    t.after(() => store.dispose());
    await assert.rejects(store.acquireTrainingLease({label: "test"}), (err) => {
        assert.ok(err instanceof TrainingBusyError);
        assert.equal(err.code, "TRAINING_BUSY");
        assert.match(err.message, /Training in another window/);
        assert.equal(err.ownerPid, owner.pid);
        return true;
    });
    assert.equal((await store.getTrainingLease())?.pid, owner.pid, "another window sees who trains");

    // kill -9 of the owner: its lease is recovered at once, without waiting for the heartbeat to age.
    owner.kill("SIGKILL");
    await once(owner, "exit");
    assert.equal(await store.getTrainingLease(), undefined);
    const lease = await store.acquireTrainingLease({label: "test"});
    assert.equal((await store.getTrainingLease())?.token, lease.token);
});

test("a lease whose heartbeat stopped is taken over; the old owner learns it lost the lease; release is idempotent", async (t) => {
    const store = await openTempStore(t);
    const first = await store.acquireTrainingLease({label: "first"});
    assert.equal(await store.renewTrainingLease(first.token, {step: 3, totalSteps: 10}), true);
    assert.deepEqual((await store.getTrainingLease())?.progress, {step: 3, totalSteps: 10});
    await assert.rejects(store.acquireTrainingLease({label: "second"}), (err) => ConpetError.is(err, "TRAINING_BUSY"));

    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await store.acquireTrainingLease({label: "second", staleMs: 10});
    assert.equal(await store.renewTrainingLease(first.token), false, "the first owner finds its lease gone");
    await store.releaseTrainingLease(first.token);
    assert.equal((await store.getTrainingLease())?.token, second.token, "releasing a lost lease leaves the new one alone");
    await store.releaseTrainingLease(second.token);
    await store.releaseTrainingLease(second.token);
    assert.equal(await store.getTrainingLease(), undefined);
});
