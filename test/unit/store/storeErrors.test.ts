import assert from "node:assert/strict";
import {open, readFile, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {ConpetError} from "../../../src/vocabulary/errors";
import {ConpetStore, databaseFileName} from "../../../src/store/ConpetStore";
import {StoreInvalidError} from "../../../src/store/errors";
import {createTempDirectory} from "./createTempDirectory";

test("a file that is not SQLite gives a clear error and is left untouched", async (t) => {
    const directory = await createTempDirectory(t);
    const dbPath = path.join(directory, databaseFileName);
    const content = "These are my notes, not a database.\n".repeat(200);
    await writeFile(dbPath, content);
    await assert.rejects(ConpetStore.open({directory}), (err) => {
        assert.ok(StoreInvalidError.isStoreInvalid(err, "not-sqlite"), String(err));
        assert.equal(err.code, "STORE_INVALID");
        assert.match(err.message, /is not a ConPET database \(not an SQLite file\)\. Move it away or choose another storage location\./);
        assert.ok(err.message.includes(dbPath));
        return true;
    });
    assert.equal(await readFile(dbPath, "utf8"), content);
});

test("a database with damaged pages reports corruption", async (t) => {
    const directory = await createTempDirectory(t);
    const store = await ConpetStore.open({directory});
    const task = await store.createTask({name: "t", instruction: "x", kind: "generate"});
    await store.addSamples(task.id, Array.from({length: 400}, (_, i) => ({input: `input number ${i} `.repeat(20), output: "o"})));
    await store.dispose();

    const dbPath = path.join(directory, databaseFileName);
    const {size} = await stat(dbPath);
    const pageSize = 4096;
    assert.ok(size > 20 * pageSize, "the checkpoint at close wrote the samples into the main file");
    // Overwrite every page after the schema page with garbage: b-tree headers no longer parse.
    const handle = await open(dbPath, "r+");
    await handle.write(Buffer.alloc(size - 2 * pageSize, 0xa5), 0, size - 2 * pageSize, 2 * pageSize);
    await handle.close();

    const reopened = await ConpetStore.open({directory}).catch((err: unknown) => err);
    if (reopened instanceof ConpetStore) {
        t.after(() => reopened.dispose());
        await assert.rejects(reopened.listSamples(task.id), (err) => StoreInvalidError.isStoreInvalid(err, "corrupt") && err.code === "STORE_INVALID" && /is corrupt/.test(err.message));
    } else
        assert.ok(StoreInvalidError.isStoreInvalid(reopened, "corrupt") && reopened.code === "STORE_INVALID", String(reopened));
});

test("a full disk gives DISK_FULL and leaves no partial batch", async (t) => {
    const directory = await createTempDirectory(t);
    // SQLite's own page limit produces the same SQLITE_FULL a full disk does.
    const store = await ConpetStore.open({directory, maxPageCount: 60});
    t.after(() => store.dispose());
    const task = await store.createTask({name: "t", instruction: "x", kind: "generate"});
    await store.addSamples(task.id, [{input: "small", output: "fits"}]);
    const big = Array.from({length: 500}, (_, i) => ({input: `${i} `.padEnd(1000, "x"), output: "y"}));
    await assert.rejects(store.addSamples(task.id, big), (err) => {
        assert.ok(ConpetError.is(err, "DISK_FULL"), String(err));
        assert.match(err.message, /is full\. Free some space and try again/);
        return true;
    });
    assert.equal(await store.countSamples(), 1);
    // The store stays usable once there is room again.
    await store.addSamples(task.id, [{input: "another", output: "fits"}]);
    assert.equal(await store.countSamples(), 2);
});
