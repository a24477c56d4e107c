import assert from "node:assert/strict";
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {readFile, rm, writeFile} from "node:fs/promises";
import path from "node:path";
import {before, test, type TestContext} from "node:test";
import {fileURLToPath} from "node:url";
import {ConpetStore} from "../../../src/store/ConpetStore";
import {testDataDirectory} from "../../utils/modelFiles";
import {createTempDirectory} from "../store/createTempDirectory";

// The bundle users run (`bin: conpet`), with sqlite3 loaded as an external native module.
const cliPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../dist/cli.mjs");

type CliRun = {code: number | null; stdout: string; stderr: string};

function conpet(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
    const result = spawnSync(process.execPath, [cliPath, ...args], {encoding: "utf8", env: {...process.env, CONPET_STORE: "", ...env}});
    return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

function conpetJson<T>(args: readonly string[], env?: NodeJS.ProcessEnv): T {
    const run = conpet([...args, "--json"], env);
    assert.equal(run.code, 0, `conpet ${args.join(" ")} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
}

before(() => {
    if (!existsSync(cliPath))
        throw new Error(`${cliPath} is missing: run "npm run build" before these tests.`);
});

test("usage errors exit with 2 and point at --help", () => {
    const none = conpet([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^Usage: conpet <command>/);

    const help = conpet(["--help"]);
    assert.equal(help.code, 0);
    for (const command of ["info", "task add <name>", "task list", "task delete <name>", "import <suite folder | file.jsonl>", "export"])
        assert.ok(help.stdout.includes(`  ${command}`), `help lists ${command}`);
    assert.match(conpet(["task", "add", "--help"]).stdout, /--instruction TEXT/);

    const cases: [string[], RegExp][] = [
        [["frobnicate"], /^conpet: unknown command "frobnicate"\. Run "conpet --help" for the list\.\n$/],
        [["task"], /^conpet: "task" needs a subcommand: add, list, delete/],
        [["task", "list", "--bogus"], /^conpet: Unknown option '--bogus'\nRun "conpet task list --help" for usage\.\n$/],
        [["task", "list", "--mode", "joint"], /^conpet: --mode must be "dynamic" or "static", not "joint"\./],
        [["task", "add", "-i", "x"], /^conpet: Missing <name>\./],
        [["task", "add", "name"], /^conpet: Missing --instruction TEXT\./],
        [["task", "add", "n", "-i", "x", "--kind", "sort"], /--kind must be "classify" or "generate"/],
        [["import", "a", "--cap", "many"], /--cap must be a whole number of at least 1, not "many"/],
        [["export"], /^conpet: Missing --out DIR\./]
    ];
    for (const [args, message] of cases) {
        const run = conpet(args);
        assert.equal(run.code, 2, args.join(" "));
        assert.match(run.stderr, message, args.join(" "));
        assert.equal(run.stdout, "");
    }
});

test("a session: add tasks, import a suite and JSONL, list, export, delete, info", async (t) => {
    const root = await createTempDirectory(t, "conpet-cli-");
    const store = ["--store", path.join(root, "store")];

    const task = conpetJson<{id: number; name: string; kind: string; labels: string[]}>([...store, "task", "add", "log level", "-i", "Classify this log line", "-l", "error", "-l", "info"]);
    assert.deepEqual([task.name, task.kind, task.labels], ["log level", "classify", ["error", "info"]]);
    const people = conpet([...store, "task", "add", "camel", "--instruction", "Convert to camelCase"]);
    assert.equal(people.code, 0);
    assert.equal(people.stdout, "Created task \"camel\" (id 2, generate).\n");

    const suite = conpetJson<{tasks: {name: string; train: number; test: number; added: number}[]}>([...store, "import", path.join(testDataDirectory, "code-lang"), "--cap", "100", "--seed", "3"]);
    assert.deepEqual(suite.tasks.map((imported) => imported.name), ["langs-1", "langs-2", "langs-3", "langs-4"]);
    assert.ok(suite.tasks.every((imported) => imported.train > 100), "the suite has more train samples than the cap");

    const jsonl = path.join(root, "logs.jsonl");
    await writeFile(jsonl, [{input: "disk full", output: "error"}, {input: "started", output: "info", split: "test"}].map((line) => JSON.stringify(line)).join("\n"));
    const added = conpet([...store, "import", jsonl, "--task", "log level"]);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^task\s+new\s+train\s+test\s+stored\s+dropped\s+duplicates\n/);
    assert.match(added.stdout, /Imported 2 examples into 1 task from /);
    // The same file again stores nothing and says why.
    const again = conpet([...store, "import", jsonl, "--task", "log level"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Skipped 2 duplicate samples/);

    const list = conpetJson<{name: string; train: number; test: number; module: string}[]>([...store, "task", "list"]);
    assert.deepEqual(list.map(({name, train, test}) => [name, train, test]), [
        ["log level", 1, 1], ["camel", 0, 0],
        ...suite.tasks.map((imported) => [imported.name, 100, imported.test])
    ]);
    assert.ok(list.every((row) => row.module === "untrained"));
    const table = conpet([...store, "task", "list"]).stdout.split("\n");
    assert.match(table[0]!, /^name\s+kind\s+labels\s+train\s+test\s+module$/);
    assert.match(table[2]!, /^log level\s+classify\s+error, info\s+1\s+1\s+untrained$/);

    const out = path.join(root, "export");
    const exported = conpetJson<{tasks: {name: string; folder: string}[]; files: string[]}>([...store, "export", "--out", out, "--task", "log level"]);
    assert.deepEqual(exported.tasks.map(({name, folder}) => [name, folder]), [["log level", "log_level"]]);
    assert.equal((await readFile(path.join(out, "log_level/train.chat.jsonl"), "utf8")).trim().split("\n").length, 1);

    const deleted = conpet([...store, "task", "delete", "langs-2"]);
    assert.equal(deleted.code, 0);
    assert.match(deleted.stdout, /^Deleted task "langs-2" and its \d+ samples\.\n$/);
    const info = conpetJson<{tasks: number; trainSamples: number; testSamples: number; store: string}>([...store, "info"]);
    assert.equal(info.store, path.join(root, "store"));
    assert.equal(info.tasks, 5);
    assert.equal(info.trainSamples, 1 + 3 * 100);
});

test("bad input exits with 1 and one line on stderr (and a JSON error under --json)", async (t) => {
    const root = await createTempDirectory(t, "conpet-cli-");
    const store = ["--store", path.join(root, "store")];
    assert.equal(conpet([...store, "task", "add", "t", "-i", "x", "-l", "a", "-l", "b"]).code, 0);

    const duplicate = conpet([...store, "task", "add", "t", "-i", "x"]);
    assert.equal(duplicate.code, 1);
    assert.equal(duplicate.stderr, "conpet: A task named \"t\" already exists. Pick another name or delete the old task first.\n");

    const bad = path.join(root, "bad.jsonl");
    await writeFile(bad, `${JSON.stringify({input: "x", output: "a"})}\n${JSON.stringify({input: "y", output: "c"})}\n`);
    const refused = conpet([...store, "import", bad, "--task", "t", "--json"]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `conpet: ${bad}:2: output "c" is not a label of task "t" (a, b).\n`);
    assert.deepEqual(JSON.parse(refused.stdout), {error: {code: "INVALID_INPUT", message: `${bad}:2: output "c" is not a label of task "t" (a, b).`}});
    assert.equal(conpetJson<{trainSamples: number}>([...store, "info"]).trainSamples, 0, "nothing was half-imported");

    const missing = conpet([...store, "task", "delete", "nope"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^conpet: No task named "nope"\. Create it first or check the name\.\n$/);

    const notDb = path.join(root, "not-a-store");
    assert.equal(conpet(["--store", notDb, "info"]).code, 0);
    await writeFile(path.join(notDb, "conpet.db"), "hello ".repeat(1000));
    const corrupt = conpet(["--store", notDb, "task", "list"]);
    assert.equal(corrupt.code, 1);
    assert.match(corrupt.stderr, /^conpet: .*conpet\.db is not a ConPET database \(not an SQLite file\)\. Move it away or choose another storage location\.\n$/);
    assert.equal((JSON.parse(conpet(["--store", notDb, "--json", "task", "list"]).stdout) as {error: {code: string}}).error.code, "STORE_INVALID");
});

test("the store folder comes from --store, else $CONPET_STORE", async (t) => {
    const root = await createTempDirectory(t, "conpet-cli-");
    const fromEnv = path.join(root, "env-store");
    assert.equal(conpetJson<{store: string}>(["info"], {CONPET_STORE: fromEnv}).store, fromEnv);
    assert.equal(conpetJson<{store: string}>(["--store", path.join(root, "flag"), "info"], {CONPET_STORE: fromEnv}).store, path.join(root, "flag"));
    assert.ok(existsSync(path.join(fromEnv, "conpet.db")));
});

/** A store in a temp folder, and a way to register a module for a task (or a shared one) as a training would. */
async function openStoreForModules(t: TestContext) {
    const root = await createTempDirectory(t, "conpet-cli-");
    const directory = path.join(root, "store");
    const store = await ConpetStore.open({directory});
    t.after(() => store.dispose());
    const register = async ({taskId, kind = "task-lora", baseModelFingerprint = "fp", samplesHash}: {taskId: number | null; kind?: "task-lora" | "shared-lora"; baseModelFingerprint?: string; samplesHash: string}) => {
        const adapter = path.join(root, "adapter.gguf");
        await writeFile(adapter, "GGUF");
        return store.registerModule({sourceFile: adapter, taskId, kind, baseModelFingerprint, rank: 8, alpha: 16, targetModules: ["q"], trainableParameters: 1, metrics: {}, samplesHash});
    };
    return {directory, store, register};
}

test("task list shows a module as ready, then stale once the task's train samples change", async (t) => {
    const {directory, store, register} = await openStoreForModules(t);
    const task = await store.createTask({name: "camel", instruction: "Convert to camelCase", kind: "generate"});
    await store.addSamples(task.id, [{input: "read_file", output: "readFile"}]);
    await register({taskId: task.id, samplesHash: await store.getSamplesHash(task.id)});
    const state = () => conpetJson<{module: string}[]>(["--store", directory, "task", "list"])[0]!.module;
    assert.equal(state(), "ready");
    await store.addSamples(task.id, [{input: "held_out", output: "heldOut", split: "test"}]);
    assert.equal(state(), "ready", "test samples don't make it stale");
    await store.addSamples(task.id, [{input: "write_file", output: "writeFile"}]);
    assert.equal(state(), "stale");
});

test("task list judges modules by a base model: a deleted adapter is missing, a task trained only on an older base is stale", async (t) => {
    const {directory, store, register: registerModule} = await openStoreForModules(t);
    const register = async (taskId: number, baseModelFingerprint: string) => registerModule({taskId, baseModelFingerprint, samplesHash: await store.getSamplesHash(taskId)});
    const tasks = [];
    for (const name of ["old", "both", "lost"]) {
        const task = await store.createTask({name, instruction: "Convert to camelCase", kind: "generate"});
        await store.addSamples(task.id, [{input: "read_file", output: "readFile"}]);
        tasks.push(task);
    }
    await register(tasks[0]!.id, "small");
    await register(tasks[1]!.id, "small");
    await register(tasks[1]!.id, "large");
    await rm(store.resolveModulePath(await register(tasks[2]!.id, "large")));
    const rows = conpetJson<{name: string; module: string; reason: string | null; baseModels: number}[]>(["--store", directory, "task", "list"]);
    assert.deepEqual(rows.map(({name, module, reason, baseModels}) => [name, module, reason, baseModels]), [
        ["old", "stale", "other-base-model", 1],
        ["both", "ready", null, 2],
        ["lost", "missing", "file-missing", 1]
    ]);
});

test("predict --file names the file and line of bad JSON or a missing input, before any model is loaded", async (t) => {
    const root = await createTempDirectory(t, "conpet-cli-");
    const store = ["--store", path.join(root, "store")];
    const file = path.join(root, "inputs.jsonl");
    for (const [lines, expected] of [
        [['{"input": "fn main() {}"}', "", '{"input": "x",}'], /inputs\.jsonl:3: not valid JSON/],
        [['{"input": "fn main() {}"}', '{"input": "   "}'], /inputs\.jsonl:2: expected an object with a non-empty string "input"/],
        [['{"text": "no input field"}'], /inputs\.jsonl:1: expected an object/]
    ] as const) {
        await writeFile(file, lines.join("\n"));
        const run = conpet([...store, "predict", "--model", path.join(root, "not-loaded.gguf"), "--file", file]);
        assert.equal(run.code, 1, run.stderr);
        assert.match(run.stderr, expected);
    }
});

test("task list --mode static judges the tasks by the shared LoRA, which records those it learned", async (t) => {
    const {directory, store, register} = await openStoreForModules(t);
    const learned = await store.createTask({name: "learned", instruction: "Convert to camelCase", kind: "generate"});
    const fresh = await store.createTask({name: "fresh", instruction: "Convert to snake_case", kind: "generate"});
    await store.addSamples(learned.id, [{input: "read_file", output: "readFile"}]);
    await store.addSamples(fresh.id, [{input: "readFile", output: "read_file"}]);
    await register({taskId: null, kind: "shared-lora", samplesHash: JSON.stringify({tasks: [{id: learned.id, hash: await store.getSamplesHash(learned.id)}]})});
    const states = (...mode: string[]) => conpetJson<{name: string; module: string}[]>(["--store", directory, "task", "list", ...mode]).map((row) => `${row.name}:${row.module}`);
    assert.deepEqual(states("--mode", "static"), ["learned:ready", "fresh:untrained"]);
    assert.deepEqual(states(), ["learned:untrained", "fresh:untrained"], "dynamic (the default) counts each task's own module");
});
