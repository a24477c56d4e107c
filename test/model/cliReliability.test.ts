/**
 * `conpet train` killed or raced as a user or a service manager would: SIGTERM, kill -9 of the
 * trainer, kill -9 of the CLI itself, and two trainings of one store at once. Real processes, the
 * real trainer and a real store; a training is caught while its trainer runs (its temporary file
 * in the store's tmp/ names the trainer's pid).
 */
import assert from "node:assert/strict";
import {spawn, spawnSync, type ChildProcess} from "node:child_process";
import {once} from "node:events";
import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {test} from "node:test";
import {setTimeout as delay} from "node:timers/promises";
import {fileURLToPath} from "node:url";
import {isProcessAlive} from "../../src/store/isProcessAlive";
import {getTestModelPath, testDataDirectory} from "../utils/modelFiles";

const cliPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/cli.mjs");

type Training = {child: ChildProcess; exit: Promise<[number | null, NodeJS.Signals | null]>; stderr: () => string};

/** `conpet train` with a step budget far beyond the test, so it is caught mid-run. */
function startTraining(store: string, steps = 100_000): Training {
    const child = spawn(process.execPath, [cliPath, "--store", store, "train", "--model", getTestModelPath(), "--steps", String(steps), "--threads", "1"], {stdio: ["ignore", "pipe", "pipe"]});
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => stderr += chunk.toString());
    child.stdout!.resume();
    return {child, exit: once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>, stderr: () => stderr};
}

/** The pid of the trainer once it runs, from its temporary adapter `<owner>-<name>.gguf.tmp-<pid>` in tmp/. */
async function waitForTrainer(store: string, training: Training): Promise<number> {
    for (let i = 0; i < 1200; i++) {
        const names = await readdir(path.join(store, "tmp")).catch(() => [] as string[]);
        const pid = names.map((name) => /\.gguf\.tmp-(\d+)$/.exec(name)?.[1]).find((found) => found !== undefined);
        if (pid !== undefined && names.some((name) => name.startsWith(`${training.child.pid}-`) && name.endsWith(".job.json")))
            return Number(pid);
        assert.equal(training.child.exitCode, null, `conpet train ended early: ${training.stderr()}`);
        await delay(100);
    }
    throw new Error(`the trainer did not start within 2 minutes: ${training.stderr()}`);
}

async function waitForExit(pid: number, seconds: number): Promise<boolean> {
    for (let i = 0; i < seconds * 10 && isProcessAlive(pid); i++)
        await delay(100);
    return !isProcessAlive(pid);
}

async function createStore(t: {after(fn: () => Promise<void>): void}): Promise<string> {
    const directory = await mkdtemp(path.join(os.tmpdir(), "conpet-cli-reliability-"));
    t.after(() => rm(directory, {recursive: true, force: true}));
    const suite = path.join(directory, "suite");
    await mkdir(path.join(suite, "langs-1"), {recursive: true});
    await writeFile(path.join(suite, "suite.json"), JSON.stringify({name: "one", description: "One task of code-lang", source: "code-lang", tasks: ["langs-1"]}));
    const from = path.join(testDataDirectory, "code-lang", "langs-1");
    await writeFile(path.join(suite, "langs-1", "task.json"), await readFile(path.join(from, "task.json")));
    await writeFile(path.join(suite, "langs-1", "train.jsonl"), `${(await readFile(path.join(from, "train.jsonl"), "utf8")).trim().split("\n").slice(0, 12).join("\n")}\n`);
    const store = path.join(directory, "store");
    const imported = spawnSync(process.execPath, [cliPath, "--store", store, "import", suite], {encoding: "utf8"});
    assert.equal(imported.status, 0, imported.stderr);
    return store;
}

test("SIGTERM stops conpet train like Ctrl+C: the trainer ends and the job file (every sample) is removed at once", async (t) => {
    const store = await createStore(t);
    const training = startTraining(store);
    const trainerPid = await waitForTrainer(store, training);
    training.child.kill("SIGTERM");
    const [code] = await training.exit;
    assert.equal(code, 1, training.stderr());
    assert.match(training.stderr(), /cancelled/);
    assert.equal(await waitForExit(trainerPid, 10), true, "the trainer is stopped with the CLI");
    assert.deepEqual(await readdir(path.join(store, "tmp")), [], "nothing left behind, not even until the next open");
});

test("kill -9 of the trainer: the run fails with a clear message, and its leftovers are gone at the next open", async (t) => {
    const store = await createStore(t);
    const training = startTraining(store);
    process.kill(await waitForTrainer(store, training), "SIGKILL");
    const [code] = await training.exit;
    assert.equal(code, 1);
    assert.match(training.stderr(), /The trainer was killed by SIGKILL/);
    assert.deepEqual((await readdir(path.join(store, "tmp"))).filter((name) => name.endsWith(".job.json")), [], "the job file goes with the failed run");
    const list = spawnSync(process.execPath, [cliPath, "--store", store, "task", "list"], {encoding: "utf8"});
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(await readdir(path.join(store, "tmp")), []);
});

test("kill -9 of conpet train itself: the orphaned trainer ends, and the next open removes the job file and the half adapter", async (t) => {
    const store = await createStore(t);
    const training = startTraining(store);
    const trainerPid = await waitForTrainer(store, training);
    training.child.kill("SIGKILL");
    await training.exit;
    assert.ok((await readdir(path.join(store, "tmp"))).some((name) => name.endsWith(".job.json")), "a kill -9 leaves the job file until the next open");
    // Its output pipe is gone: the trainer dies at its next progress line.
    assert.equal(await waitForExit(trainerPid, 60), true, "the trainer outlived its parent");
    const list = spawnSync(process.execPath, [cliPath, "--store", store, "task", "list"], {encoding: "utf8"});
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(await readdir(path.join(store, "tmp")), []);
});

test("two trainings of one store at once: the second refuses with who trains, the first is unaffected, and the lease is free after", async (t) => {
    const store = await createStore(t);
    const first = startTraining(store);
    await waitForTrainer(store, first);
    const second = spawnSync(process.execPath, [cliPath, "--store", store, "train", "--model", getTestModelPath(), "--steps", "2", "--threads", "1"], {encoding: "utf8"});
    assert.equal(second.status, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`Training in another window: conpet train \\(process ${first.child.pid}\\) is training this store`));
    assert.equal(first.child.exitCode, null, "the first training goes on");
    // Another window (here: conpet info) sees who trains and how far it is, from the lease's heartbeat (every 5 s).
    type Training = {pid: number; label: string; progress: {task?: string; step?: number} | null} | null;
    let training: Training = null;
    for (let i = 0; i < 60 && training?.progress == null; i++) {
        await delay(1000);
        const info = spawnSync(process.execPath, [cliPath, "--store", store, "info", "--json"], {encoding: "utf8"});
        training = (JSON.parse(info.stdout) as {training: Training}).training;
    }
    assert.equal(training?.pid, first.child.pid);
    assert.equal(training?.label, "conpet train");
    assert.equal(training?.progress?.task, "langs-1");

    first.child.kill("SIGINT");
    assert.equal((await first.exit)[0], 1);
    const third = spawnSync(process.execPath, [cliPath, "--store", store, "train", "--model", getTestModelPath(), "--steps", "2", "--threads", "1"], {encoding: "utf8"});
    assert.equal(third.status, 0, third.stderr);
    assert.match(third.stdout, /Learned "langs-1"/);
});
