import {mkdtempSync, rmSync} from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fresh temporary folder and its cleanup. */
export function createTempFolder(prefix = "conpet-ext-test-"): {path: string; dispose(): void} {
    const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
    return {path: folder, dispose: () => rmSync(folder, {recursive: true, force: true})};
}
