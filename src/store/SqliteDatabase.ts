/**
 * A small promise wrapper over one `sqlite3` connection. sqlite3 runs every statement of a
 * connection on the same handle, so two interleaved async transactions would see (and commit)
 * each other's statements: every access therefore goes through one queue, and a transaction
 * holds it from `BEGIN` to `COMMIT`.
 */
import sqlite3 from "sqlite3";
import {mapStoreError} from "./mapStoreError";

export type SqlValue = string | number | bigint | null | Buffer;
export type SqlParams = readonly SqlValue[];

export type RunResult = {lastId: number; changes: number};

/** What a `read` or `transaction` callback can run; valid only inside that callback. */
export type SqlExecutor = {
    run(sql: string, params?: SqlParams): Promise<RunResult>;
    get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
    all<T>(sql: string, params?: SqlParams): Promise<T[]>;
    /** Runs several `;`-separated statements without parameters (schema scripts). */
    exec(sql: string): Promise<void>;
};

export class SqliteDatabase {
    /** @internal */ private readonly _db: sqlite3.Database;
    /** @internal */ private readonly _path: string;
    /** @internal */ private _queue: Promise<unknown> = Promise.resolve();
    /** @internal */ private readonly _executor: SqlExecutor;

    private constructor(db: sqlite3.Database, filePath: string) {
        this._db = db;
        this._path = filePath;
        this._executor = {
            run: (sql, params = []) => new Promise((resolve, reject) => {
                this._db.run(sql, params as SqlValue[], function (this: sqlite3.RunResult, err: Error | null) {
                    if (err != null)
                        reject(err);
                    else
                        resolve({lastId: this.lastID, changes: this.changes});
                });
            }),
            get: <T>(sql: string, params: SqlParams = []) => new Promise<T | undefined>((resolve, reject) => {
                this._db.get(sql, params as SqlValue[], (err: Error | null, row: T | undefined) => err != null ? reject(err) : resolve(row));
            }),
            all: <T>(sql: string, params: SqlParams = []) => new Promise<T[]>((resolve, reject) => {
                this._db.all(sql, params as SqlValue[], (err: Error | null, rows: T[]) => err != null ? reject(err) : resolve(rows));
            }),
            exec: (sql) => new Promise<void>((resolve, reject) => {
                this._db.exec(sql, (err: Error | null) => err != null ? reject(err) : resolve());
            })
        };
    }

    public static open(filePath: string): Promise<SqliteDatabase> {
        return new Promise((resolve, reject) => {
            const db: sqlite3.Database = new sqlite3.Database(filePath, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err) => {
                if (err != null)
                    reject(mapStoreError(err, filePath));
                else
                    resolve(new SqliteDatabase(db, filePath));
            });
        });
    }

    public get path(): string {
        return this._path;
    }

    /** Runs `fn` with exclusive use of the connection, outside a transaction. */
    public read<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
        return this._enqueue(() => fn(this._executor));
    }

    /**
     * Runs `fn` in one `BEGIN IMMEDIATE … COMMIT` (immediate, so a second process writing the same
     * file waits on `busy_timeout` at the start instead of failing at commit); rolls back if it throws.
     */
    public transaction<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
        return this._enqueue(async () => {
            await this._executor.run("BEGIN IMMEDIATE");
            try {
                const result = await fn(this._executor);
                await this._executor.run("COMMIT");
                return result;
            } catch (err) {
                await this._executor.run("ROLLBACK").catch(() => undefined);
                throw err;
            }
        });
    }

    public close(): Promise<void> {
        return this._enqueue(() => new Promise<void>((resolve, reject) => {
            this._db.close((err) => err != null ? reject(err) : resolve());
        }));
    }

    /** @internal */
    private _enqueue<T>(fn: () => Promise<T>): Promise<T> {
        const result = this._queue.then(fn).catch((err: unknown) => {
            throw mapStoreError(err, this._path);
        });
        this._queue = result.catch(() => undefined);
        return result;
    }
}
