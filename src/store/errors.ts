/**
 * Failures of the store a caller can act on. Each maps to a code of `src/vocabulary/errors.ts`, so the
 * UI and the CLI pick the next step by `code` alone; the classes add the useful data as fields.
 */
import {ConpetError} from "../vocabulary/errors";

export class TaskExistsError extends ConpetError {
    public constructor(public readonly taskName: string) {
        super("TASK_EXISTS", `A task named ${JSON.stringify(taskName)} already exists. Pick another name or delete the old task first.`, {data: {task: taskName}});
    }
}

export class DiskFullError extends ConpetError {
    public constructor(public readonly path: string, options?: {cause?: unknown}) {
        super("DISK_FULL", `The disk holding ${path} is full. Free some space and try again; nothing was half-written.`, {data: {path}, cause: options?.cause});
    }
}

export class NotWritableError extends ConpetError {
    public constructor(public readonly path: string, options?: {cause?: unknown}) {
        super("NOT_WRITABLE", `Cannot write to ${path}. Check its permissions, or choose another storage location.`, {data: {path}, cause: options?.cause});
    }
}

/**
 * - `not-sqlite`: the file is not an SQLite database (or its header is damaged).
 * - `corrupt`: SQLite found damaged pages.
 * - `newer-version`: the schema was written by a newer ConPET.
 */
export type StoreInvalidReason = "not-sqlite" | "corrupt" | "newer-version";

/** The database file cannot be used; the store never overwrites it, the user decides. */
export class StoreInvalidError extends ConpetError {
    public constructor(
        public readonly dbPath: string,
        public readonly reason: StoreInvalidReason,
        options?: {cause?: unknown}
    ) {
        super("STORE_INVALID", storeInvalidMessage(dbPath, reason), {data: {dbPath, reason}, cause: options?.cause});
    }

    public static isStoreInvalid(err: unknown, reason?: StoreInvalidReason): err is StoreInvalidError {
        return err instanceof StoreInvalidError && (reason === undefined || err.reason === reason);
    }
}

function storeInvalidMessage(dbPath: string, reason: StoreInvalidReason): string {
    switch (reason) {
        case "not-sqlite":
            return `${dbPath} is not a ConPET database (not an SQLite file). Move it away or choose another storage location.`;
        case "corrupt":
            return `The ConPET database ${dbPath} is corrupt. Restore it from a backup, or move it away to start empty.`;
        case "newer-version":
            return `The ConPET database ${dbPath} was written by a newer version of ConPET. Update ConPET, or choose another storage location.`;
    }
}

/** Another process (another VS Code window, a `conpet train`) holds the store's training lease. */
export class TrainingBusyError extends ConpetError {
    public constructor(public readonly ownerPid: number, public readonly ownerLabel: string, public readonly progress: unknown) {
        super(
            "TRAINING_BUSY",
            `Training in another window: ${ownerLabel} (process ${ownerPid}) is training this store. Wait for it to finish, or cancel it there.`,
            {data: {ownerPid, ownerLabel, progress}}
        );
    }
}
