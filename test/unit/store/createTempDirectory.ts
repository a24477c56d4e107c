import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {TestContext} from "node:test";

/** A fresh folder under the OS temp dir, removed when the test ends. */
export async function createTempDirectory(t: TestContext, prefix = "conpet-store-"): Promise<string> {
    const directory = await mkdtemp(path.join(os.tmpdir(), prefix));
    t.after(() => rm(directory, {recursive: true, force: true}));
    return directory;
}
