import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {readdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import {ConpetStore} from "../../../src/store/ConpetStore";
import {createTempDirectory} from "./createTempDirectory";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The pid of a process that has ended. */
function getDeadPid(): number {
    const child = spawnSync(process.execPath, ["-e", ""]);
    assert.equal(child.status, 0);
    return child.pid;
}

test("what a killed training left in tmp/ (job file with the samples, adapters in progress) is removed at the next open", async (t) => {
    const directory = await createTempDirectory(t);
    const child = spawnSync(process.execPath, ["--import", "tsx", path.join(here, "fixtures/dieWithWorkFiles.ts"), directory, String(getDeadPid())], {encoding: "utf8"});
    assert.equal(child.signal, "SIGKILL", child.stderr);
    const files = JSON.parse(child.stdout) as string[];
    for (const file of files) {
        assert.equal(path.dirname(file), path.join(directory, "tmp"), "work files live inside the store");
        assert.ok(path.basename(file).startsWith(`${child.pid}-`), "named after their owner");
        assert.ok(existsSync(file));
    }
    // A leftover of the earlier naming (`<name>-<pid>-<ms>.gguf…`), as stores of earlier versions hold.
    const legacy = path.join(directory, "tmp", `task-3-${getDeadPid()}-${Date.now()}.gguf.init.tmp-${getDeadPid()}`);
    await writeFile(legacy, "old");
    // A file of this live process, and one that names no owner, are not touched.
    const store = await ConpetStore.open({directory});
    t.after(() => store.dispose());
    const own = await store.createWorkFilePath("selector", "json");
    await writeFile(own, "in progress");
    const foreign = path.join(store.workDirectory, "notes.txt");
    await writeFile(foreign, "the user's");

    const reopened = await ConpetStore.open({directory});
    t.after(() => reopened.dispose());
    assert.deepEqual((await readdir(reopened.workDirectory)).sort(), [path.basename(own), "notes.txt"].sort());
});
