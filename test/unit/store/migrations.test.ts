import assert from "node:assert/strict";
import path from "node:path";
import {test} from "node:test";
import {ConpetError} from "../../../src/vocabulary/errors";
import {ConpetStore, databaseFileName} from "../../../src/store/ConpetStore";
import {applyMigrations, getUserVersion, migrations} from "../../../src/store/migrations";
import {SqliteDatabase} from "../../../src/store/SqliteDatabase";
import {createTempDirectory} from "./createTempDirectory";

test("a new store is at the latest schema, in WAL mode, with foreign keys enforced", async (t) => {
    const directory = await createTempDirectory(t);
    const store = await ConpetStore.open({directory});
    const task = await store.createTask({name: "t", instruction: "x", kind: "generate"});
    await store.addSamples(task.id, [{input: "a", output: "b"}]);
    await store.dispose();

    const db = await SqliteDatabase.open(path.join(directory, databaseFileName));
    t.after(() => db.close());
    assert.equal(await getUserVersion(db), migrations.length);
    assert.equal((await db.read((sql) => sql.get<{journal_mode: string}>("PRAGMA journal_mode")))?.journal_mode, "wal");
    const indexes = await db.read((sql) => sql.all<{name: string}>("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
    assert.deepEqual(indexes.map((index) => index.name), ["modules_by_task", "runs_by_module", "runs_by_task", "samples_by_task_split"]);
    // The store turns foreign keys on for its own connection; deleting a task there cascades.
    const again = await ConpetStore.open({directory});
    await again.deleteTask(task.id);
    assert.equal(await again.countSamples(), 0);
    await again.dispose();
});

test("reopening migrates nothing; a later version upgrades in place and keeps the data", async (t) => {
    const directory = await createTempDirectory(t);
    const store = await ConpetStore.open({directory});
    await store.createTask({name: "kept", instruction: "x", kind: "generate"});
    await store.dispose();

    const db = await SqliteDatabase.open(path.join(directory, databaseFileName));
    t.after(() => db.close());
    assert.deepEqual(await applyMigrations(db), {from: migrations.length, to: migrations.length});
    const next = [...migrations, "ALTER TABLE tasks ADD COLUMN color TEXT NOT NULL DEFAULT 'blue'"];
    assert.deepEqual(await applyMigrations(db, next), {from: migrations.length, to: migrations.length + 1});
    assert.deepEqual(await db.read((sql) => sql.all("SELECT name, color FROM tasks")), [{name: "kept", color: "blue"}]);
});

test("a failing migration rolls back and leaves the version where it was", async (t) => {
    const db = await SqliteDatabase.open(path.join(await createTempDirectory(t), databaseFileName));
    t.after(() => db.close());
    await applyMigrations(db);
    const broken = [...migrations, "CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1);"];
    await assert.rejects(applyMigrations(db, broken), (err) => ConpetError.is(err, "INTERNAL") && /no_such_table/.test((err as Error).message));
    assert.equal(await getUserVersion(db), migrations.length);
    assert.equal(await db.read((sql) => sql.get("SELECT name FROM sqlite_master WHERE name = 'half'")), undefined);
});

test("a database from a newer ConPET is refused, not modified", async (t) => {
    const directory = await createTempDirectory(t);
    const db = await SqliteDatabase.open(path.join(directory, databaseFileName));
    await db.read((sql) => sql.exec(`PRAGMA user_version = ${migrations.length + 5}`));
    await db.close();
    await assert.rejects(ConpetStore.open({directory}), (err) => ConpetError.is(err, "STORE_INVALID") && /newer version of ConPET/.test((err as Error).message));
    const check = await SqliteDatabase.open(path.join(directory, databaseFileName));
    t.after(() => check.close());
    assert.equal(await getUserVersion(check), migrations.length + 5);
    assert.equal(await check.read((sql) => sql.get("SELECT name FROM sqlite_master WHERE name = 'tasks'")), undefined);
});
