import assert from "node:assert/strict";
import {writeFile} from "node:fs/promises";
import path from "node:path";
import {test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import {importExamples} from "../../src/core/importExport/importExamples";
import {ConpetStore} from "../../src/store/ConpetStore";
import {createTempDirectory} from "./store/createTempDirectory";

async function setUp(t: import("node:test").TestContext) {
    const directory = await createTempDirectory(t);
    const store = await ConpetStore.open({directory: path.join(directory, "store")});
    t.after(() => store.dispose());
    await store.createTask({name: "log level", instruction: "Classify this log line", kind: "classify", labels: ["error", "info"]});
    await store.createTask({name: "camel", instruction: "Convert to camelCase", kind: "generate"});
    const write = async (name: string, lines: readonly (string | object)[], separator = "\n") => {
        const file = path.join(directory, name);
        await writeFile(file, lines.map((line) => typeof line === "string" ? line : JSON.stringify(line)).join(separator));
        return file;
    };
    return {store, write};
}

test("lines without a task field go to --task; split defaults to train", async (t) => {
    const {store, write} = await setUp(t);
    // A BOM, CRLF line ends and blank lines are what editors on other systems produce.
    const file = await write("logs.jsonl", ["\uFEFF" + JSON.stringify({input: "disk full", output: "error"}), "", {input: "started", output: "info", split: "test"}, {input: "oom", output: "error"}], "\r\n");
    const result = await importExamples(store, file, {task: "log level"});
    assert.equal(result.format, "jsonl");
    assert.deepEqual(result.tasks.map(({name, created, train, test}) => ({name, created, train, test})), [{name: "log level", created: false, train: 2, test: 1}]);
    const task = await store.getTask("log level");
    assert.deepEqual((await store.listSamples(task.id)).map((sample) => [sample.input, sample.split]), [["disk full", "train"], ["started", "test"], ["oom", "train"]]);
    assert.deepEqual((await store.listSamples(task.id))[0]!.source, {kind: "import", file});
});

test("lines with a task field fill several tasks in one go", async (t) => {
    const {store, write} = await setUp(t);
    const file = await write("mixed.jsonl", [
        {task: "camel", input: "parse_http_header", output: "parseHttpHeader"},
        {task: "log level", input: "ok", output: "info"},
        {task: "camel", input: "read_file", output: "readFile"}
    ]);
    const result = await importExamples(store, file);
    assert.deepEqual(result.tasks.map((task) => [task.name, task.added]), [["camel", 2], ["log level", 1]]);
});

test("bad lines name the file and line and import nothing", async (t) => {
    const {store, write} = await setUp(t);
    const good = {task: "camel", input: "a_b", output: "aB"};
    const cases: [string, (string | object)[], RegExp, Record<string, unknown>][] = [
        ["not JSON", [good, "{input: 1}"], /:2: not valid JSON/, {}],
        ["not an object", [good, good, "[1, 2]"], /:3: expected an object/, {}],
        ["no input", [{output: "x", task: "camel"}], /:1: "input" must be a non-empty string/, {}],
        ["bad split", [{...good, split: "dev"}], /:1: "split" must be "train" or "test"/, {}],
        ["no task", [good, {input: "x", output: "y"}], /:2: the line has no "task" field; name the task to import into \(--task NAME\)/, {}],
        ["unknown task", [good, {task: "nope", input: "x", output: "y"}], /:2: No task named "nope"/, {}],
        ["not a label", [{input: "x", output: "warning"}], /:1: output "warning" is not a label of task "log level" \(error, info\)/, {task: "log level"}],
        ["empty file", ["", "  "], /has no examples/, {task: "camel"}]
    ];
    for (const [name, lines, message, options] of cases) {
        const file = await write(`${name.replace(/ /g, "-")}.jsonl`, lines);
        await assert.rejects(importExamples(store, file, options), (err) => {
            assert.ok(ConpetError.is(err, "INVALID_INPUT"), `${name}: ${String(err)}`);
            assert.match(err.message, message, name);
            assert.ok(err.message.startsWith(file), `${name}: the message names the file`);
            return true;
        });
    }
    assert.equal(await store.countSamples(), 0);
});
