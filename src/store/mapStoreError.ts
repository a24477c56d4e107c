import {ConpetError} from "../vocabulary/errors";
import {DiskFullError, NotWritableError, StoreInvalidError} from "./errors";

/**
 * Turns an sqlite3 or file-system error into the `ConpetError` a caller can act on; anything
 * else becomes `INTERNAL`, with the original as `cause`. `ConpetError`s pass through unchanged.
 */
export function mapStoreError(err: unknown, path: string): ConpetError {
    if (err instanceof ConpetError)
        return err;
    const code = typeof err === "object" && err !== null ? (err as {code?: unknown}).code : undefined;
    switch (code) {
        case "SQLITE_FULL":
        case "ENOSPC":
        case "EDQUOT":
            return new DiskFullError(path, {cause: err});
        case "SQLITE_READONLY":
        case "SQLITE_CANTOPEN":
        case "SQLITE_PERM":
        case "EACCES":
        case "EPERM":
        case "EROFS":
            return new NotWritableError(path, {cause: err});
        case "SQLITE_NOTADB":
            return new StoreInvalidError(path, "not-sqlite", {cause: err});
        case "SQLITE_CORRUPT":
            return new StoreInvalidError(path, "corrupt", {cause: err});
        case "SQLITE_BUSY":
        case "SQLITE_LOCKED":
            return new ConpetError("INTERNAL", `The store ${path} is busy: another ConPET process (VS Code or the CLI) held it locked for too long. Try again.`, {cause: err});
    }
    const message = err instanceof Error ? err.message : String(err);
    return new ConpetError("INTERNAL", `Store error on ${path}: ${message}`, {cause: err});
}
