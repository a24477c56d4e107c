/**
 * Moving adapter files into the store. A file is first staged under a temporary name that carries
 * the writer's pid (`<final>.<pid>.tmp`), then renamed to its final name inside the transaction
 * that inserts its row; the row and the final name therefore appear together. A staged file left
 * by a process that died is removed at the next open. @internal
 */
import {open, readdir, rename, copyFile, unlink} from "node:fs/promises";
import path from "node:path";
import {isProcessAlive} from "./isProcessAlive";

export type StagedFile = {
    tempPath: string;
    sourceFile: string;
    /** Whether the source was renamed (same file system) rather than copied. */
    moved: boolean;
};

const tempFilePattern = /\.(\d+)\.tmp$/;

export function getTempFilePath(finalPath: string, pid = process.pid): string {
    return `${finalPath}.${pid}.tmp`;
}

/** Moves (or, across file systems, copies) `sourceFile` to the temp name of `finalPath` and flushes it to disk. */
export async function stageAdapterFile(sourceFile: string, finalPath: string): Promise<StagedFile> {
    const tempPath = getTempFilePath(finalPath);
    let moved = true;
    try {
        await rename(sourceFile, tempPath);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EXDEV")
            throw err;
        moved = false;
    }
    const staged = {tempPath, sourceFile, moved};
    try {
        if (!moved)
            await copyFile(sourceFile, tempPath);
        // Without the flush, a power cut after the commit could leave a registered but empty file.
        const handle = await open(tempPath, "r+");
        try {
            await handle.sync();
        } finally {
            await handle.close();
        }
    } catch (err) {
        // A copy cut short by a full disk must not stay behind.
        await unstageAdapterFile(staged);
        throw err;
    }
    return staged;
}

/**
 * Undoes `stageAdapterFile` (after a failed insert): the source is back where it was, nothing is
 * left in the store. `finalPath`: where the file may have been renamed to before the failure.
 */
export async function unstageAdapterFile(staged: StagedFile, finalPath?: string): Promise<void> {
    if (finalPath !== undefined)
        await rename(finalPath, staged.tempPath).catch(() => undefined);
    if (staged.moved)
        await rename(staged.tempPath, staged.sourceFile).catch(() => unlink(staged.tempPath).catch(() => undefined));
    else
        await unlink(staged.tempPath).catch(() => undefined);
}

/** Removes staged files whose writer is no longer running; returns the names removed. */
export async function removeStaleTempFiles(directory: string): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(directory)) {
        if (!name.endsWith(".tmp"))
            continue;
        const pid = tempFilePattern.exec(name)?.[1];
        if (pid !== undefined && isProcessAlive(Number(pid)))
            continue;
        await unlink(path.join(directory, name)).catch(() => undefined);
        removed.push(name);
    }
    return removed;
}

/** Deletes files that may already be gone (old adapters after a replace or delete). */
export async function removeFilesQuietly(paths: readonly string[]): Promise<void> {
    await Promise.all(paths.map((file) => unlink(file).catch(() => undefined)));
}
