/**
 * The store's training lease: one row that says which process trains the store, so two windows
 * (or a window and `conpet train`) never train it at once. The owner renews its heartbeat while it
 * trains; a lease whose owner process is gone, or whose heartbeat stopped, is taken over. @internal
 */
import {isProcessAlive} from "./isProcessAlive";
import type {SqlExecutor} from "./SqliteDatabase";

export type TrainingLease = {
    /** Tells this lease apart from a later one of the same process. */
    token: string;
    pid: number;
    /** Who trains, for the message the other window shows (e.g. "VS Code window", "conpet train"). */
    label: string;
    startedAt: string;
    heartbeatAt: string;
    /** The owner's latest training progress, as it reported it. */
    progress: unknown;
};

type LeaseRow = {token: string; pid: number; label: string; started_at: string; heartbeat_at: string; progress: string | null};

export async function readLease(sql: SqlExecutor): Promise<TrainingLease | undefined> {
    const row = await sql.get<LeaseRow>("SELECT * FROM training_lease WHERE id = 1");
    return row === undefined ? undefined : {
        token: row.token, pid: row.pid, label: row.label, startedAt: row.started_at, heartbeatAt: row.heartbeat_at,
        progress: row.progress === null ? null : JSON.parse(row.progress) as unknown
    };
}

/** Whether the lease's owner still runs and has renewed it within `staleMs`. */
export function isLeaseLive(lease: TrainingLease, staleMs: number, now = Date.now()): boolean {
    return isProcessAlive(lease.pid) && now - Date.parse(lease.heartbeatAt) <= staleMs;
}

export async function writeLease(sql: SqlExecutor, lease: Omit<TrainingLease, "progress">): Promise<void> {
    await sql.run(
        `INSERT INTO training_lease (id, token, pid, label, started_at, heartbeat_at, progress) VALUES (1, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (id) DO UPDATE SET token = excluded.token, pid = excluded.pid, label = excluded.label,
            started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, progress = NULL`,
        [lease.token, lease.pid, lease.label, lease.startedAt, lease.heartbeatAt]
    );
}

/** Renews the heartbeat (and progress) of the lease `token`; false when it is no longer that lease. */
export async function renewLease(sql: SqlExecutor, token: string, progress: unknown): Promise<boolean> {
    const {changes} = await sql.run(
        "UPDATE training_lease SET heartbeat_at = ?, progress = ? WHERE id = 1 AND token = ?",
        [new Date().toISOString(), progress === undefined ? null : JSON.stringify(progress), token]
    );
    return changes > 0;
}

export async function deleteLease(sql: SqlExecutor, token: string): Promise<void> {
    await sql.run("DELETE FROM training_lease WHERE id = 1 AND token = ?", [token]);
}
