import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {cp, mkdir, mkdtemp, readFile, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {test} from "node:test";
import {fileURLToPath} from "node:url";
import {getTestModelPath, testDataDirectory} from "../utils/modelFiles";

const cliPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/cli.mjs");

function conpet(args: readonly string[]) {
    return spawnSync(process.execPath, [cliPath, ...args], {encoding: "utf8", env: {...process.env, CONPET_STORE: ""}});
}

/** A two-task slice of code-lang, small enough to train in seconds. */
async function writeSmallSuite(directory: string): Promise<string> {
    const suite = path.join(directory, "suite");
    const tasks = ["langs-1", "langs-2"];
    await mkdir(suite, {recursive: true});
    await writeFile(path.join(suite, "suite.json"), JSON.stringify({name: "code-lang-small", description: "Two tasks of code-lang", source: "code-lang", tasks}));
    for (const task of tasks) {
        const from = path.join(testDataDirectory, "code-lang", task);
        await mkdir(path.join(suite, task));
        await cp(path.join(from, "task.json"), path.join(suite, task, "task.json"));
        for (const [split, lines] of [["train", 30], ["test", 6]] as const) {
            const text = await readFile(path.join(from, `${split}.jsonl`), "utf8");
            await writeFile(path.join(suite, task, `${split}.jsonl`), `${text.trim().split("\n").slice(0, lines).join("\n")}\n`);
        }
    }
    return suite;
}

test("conpet train --eval-samples prints the accuracy row after each task and stores the matrix", async (t) => {
    const directory = await mkdtemp(path.join(os.tmpdir(), "conpet-cli-train-"));
    t.after(() => rm(directory, {recursive: true, force: true}));
    const store = ["--store", path.join(directory, "store")];
    assert.equal(conpet([...store, "import", await writeSmallSuite(directory)]).status, 0);

    const modelPath = getTestModelPath();
    const usage = conpet([...store, "train", "--model", modelPath, "--eval-samples", "0"]);
    assert.equal(usage.status, 2, usage.stderr);
    assert.match(usage.stderr, /--eval-samples must be a whole number of at least 1/);

    const run = conpet([...store, "train", "--model", modelPath, "--steps", "10", "--threads", "1", "--eval-samples", "4"]);
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.split("\n").filter((line) => line.startsWith("accuracy after"));
    assert.equal(rows.length, 2, run.stdout);
    assert.match(rows[0]!, /^accuracy after "langs-1" \(row 1\): langs-1 \d+\.\d%; selector \d+\.\d%$/);
    assert.match(rows[1]!, /^accuracy after "langs-2" \(row 2\): langs-1 \d+\.\d%, langs-2 \d+\.\d%; selector \d+\.\d%$/);
    assert.ok(run.stdout.indexOf(rows[1]!) < run.stdout.indexOf("Learned \"langs-1\""), "rows are printed as they are measured");
    assert.match(run.stderr, /evaluate langs-2 step 8\/8/);
    const info = conpet([...store, "info", "--json"]);
    assert.equal((JSON.parse(info.stdout) as {evaluations: number}).evaluations, 2, "one stored evaluation per learned task");

    // Everything is learned: --json prints the result, with no evaluation since nothing was learned.
    const again = conpet([...store, "train", "--model", modelPath, "--threads", "1", "--evaluate", "--json"]);
    assert.equal(again.status, 0, again.stderr);
    const result = JSON.parse(again.stdout) as {learned: unknown[]; evaluations: unknown[]};
    assert.deepEqual([result.learned, result.evaluations], [[], []]);
});
