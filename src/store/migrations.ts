/**
 * The schema, one script per version: `migrations[n]` upgrades `user_version` n to n + 1. Append
 * new versions, never edit a released one (a user's file was made by it).
 */
import {StoreInvalidError} from "./errors";
import type {SqliteDatabase} from "./SqliteDatabase";

export const migrations: readonly string[] = [
    `
    CREATE TABLE tasks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        instruction TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('classify', 'generate')),
        labels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels)),
        -- Train samples ever offered to the task: reservoir sampling needs it once the cap is reached.
        train_seen INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE samples (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        input TEXT NOT NULL,
        output TEXT NOT NULL,
        split TEXT NOT NULL CHECK (split IN ('train', 'test')),
        source TEXT CHECK (source IS NULL OR json_valid(source)),
        created_at TEXT NOT NULL
    );
    -- The UI pages samples of one task and split, and counts them per task.
    CREATE INDEX samples_by_task_split ON samples(task_id, split, id);
    CREATE TABLE modules (
        id INTEGER PRIMARY KEY,
        task_id INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('task-lora', 'shared-lora', 'selector')),
        file TEXT NOT NULL UNIQUE,
        base_model_fingerprint TEXT NOT NULL,
        rank INTEGER NOT NULL,
        alpha REAL NOT NULL,
        target_modules TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(target_modules)),
        trainable_parameters INTEGER NOT NULL,
        size_bytes INTEGER NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metrics)),
        samples_hash TEXT NOT NULL,
        trained_at TEXT NOT NULL
    );
    CREATE INDEX modules_by_task ON modules(task_id, kind);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        task_id INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
        module_id INTEGER REFERENCES modules(id) ON DELETE SET NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
        -- The process that started the run: a later open fails only runs whose process is gone.
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        loss_curve TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(loss_curve)),
        details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
        error TEXT
    );
    -- Foreign keys are checked on delete: without these, deleting a task scans every run.
    CREATE INDEX runs_by_task ON runs(task_id);
    CREATE INDEX runs_by_module ON runs(module_id);
    CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        mode TEXT NOT NULL,
        tasks TEXT NOT NULL CHECK (json_valid(tasks)),
        accuracy_matrix TEXT NOT NULL CHECK (json_valid(accuracy_matrix)),
        selector_accuracy REAL,
        details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
    );
    `,
    `
    -- One row at most: the process training the store (see trainingLease.ts).
    CREATE TABLE training_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        label TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        progress TEXT CHECK (progress IS NULL OR json_valid(progress))
    );
    -- Modules of several base models coexist: each base has its own module per task and kind.
    DROP INDEX modules_by_task;
    CREATE INDEX modules_by_task ON modules(task_id, kind, base_model_fingerprint);
    `
];

/**
 * Brings the file to the newest schema, one version per transaction, so a failure leaves it at
 * the last complete version. A file from a newer ConPET is refused rather than guessed at.
 * Returns the versions before and after.
 */
export async function applyMigrations(db: SqliteDatabase, scripts: readonly string[] = migrations): Promise<{from: number; to: number}> {
    const from = await getUserVersion(db);
    if (from > scripts.length)
        throw new StoreInvalidError(db.path, "newer-version");
    for (let version = from; version < scripts.length; version++) {
        await db.transaction(async (sql) => {
            await sql.exec(scripts[version]!);
            // PRAGMA takes no bound parameters; `version` is a loop counter, not input.
            await sql.exec(`PRAGMA user_version = ${version + 1}`);
        });
    }
    return {from, to: scripts.length};
}

export async function getUserVersion(db: SqliteDatabase): Promise<number> {
    const row = await db.read((sql) => sql.get<{user_version: number}>("PRAGMA user_version"));
    return row?.user_version ?? 0;
}
