/**
 * The store's scratch folder (`tmp/`): job files, adapters being trained and selector files before
 * they are registered. Every name starts with the pid of the process that owns it, and the trainer
 * appends its own (`.tmp-<pid>`), so a later open removes what a killed process left. @internal
 */
import {readdir, rm} from "node:fs/promises";
import path from "node:path";
import {isProcessAlive} from "./isProcessAlive";

export const workFolderName = "tmp";

const ownerPattern = /^(\d+)-/;
const trainerPattern = /\.tmp-(\d+)$/;
// Names before owners led them (`task-3-<pid>-<ms>.gguf…`): stores of earlier versions still hold such leftovers.
const legacyOwnerPattern = /^[a-z]+(?:-\d+)?-(\d+)-\d{13}\./;

/** `<pid>-<stem>-<unique>.<extension>`; `stem` must already be a safe file name (an id, a kind). */
export function createWorkFileName(stem: string, extension: string, pid = process.pid): string {
    const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
    return `${pid}-${stem}-${unique}.${extension}`;
}

/** Removes the work files whose owner processes have all ended; returns the names removed. */
export async function removeDeadWorkFiles(directory: string): Promise<string[]> {
    const names = await readdir(directory).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT")
            return [];
        throw err;
    });
    const removed: string[] = [];
    for (const name of names) {
        const pids = [ownerPattern, trainerPattern, legacyOwnerPattern].flatMap((pattern) => pattern.exec(name)?.[1] ?? []).map(Number);
        if (pids.length === 0 || pids.some((pid) => isProcessAlive(pid)))
            continue;
        await rm(path.join(directory, name), {recursive: true, force: true});
        removed.push(name);
    }
    return removed;
}
