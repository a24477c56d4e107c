// The commands write to the real store (SQLite in the extension's storage) through the same API a
// user drives through quick picks: tasks, samples from editor selections, import, export, delete.
import assert from "node:assert/strict";
import {existsSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import type {Task} from "../../src/vocabulary/types";
import {runCommand} from "./builders/runCommand";
import {activateExtension} from "./builders/activateExtension";
import {closeAllEditors, openEditorWithSelection, openWorkspaceFileAtLine} from "./builders/openEditor";
import {openExtensionStore} from "./builders/openStore";
import {createTempFolder} from "./builders/tempFolder";
import {getTaskStatus, getTestStatus} from "./builders/testHooks";
import {uniqueName} from "./builders/uniqueName";

suite("tasks and samples", () => {
    suiteSetup(async () => {
        await activateExtension();
    });

    teardown(async () => {
        await closeAllEditors();
    });

    test("Create Task with args creates a classify task in the store", async () => {
        const name = uniqueName("log-level");
        const task = await vscode.commands.executeCommand<Task>("conpet.createTask", {name, instruction: "Classify this log line by its level", labels: ["error", "warning", "info"]});
        assert.equal(task.name, name);
        assert.equal(task.kind, "classify");
        assert.deepEqual(task.labels, ["error", "warning", "info"]);
        const store = await openExtensionStore();
        try {
            assert.deepEqual((await store.getTask(name)).labels, ["error", "warning", "info"]);
        } finally {
            await store.dispose();
        }
        const status = await getTaskStatus(name);
        assert.equal(status?.state, "untrained");
        assert.equal(status?.trainSamples, 0);
    });

    test("Add Selection to Task stores the selection with its file and range", async () => {
        const name = uniqueName("log-level");
        await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Classify this log line", labels: ["error", "warning", "info"]});
        const editor = await openWorkspaceFileAtLine("logs/app.log", 0);
        const selected = editor.document.getText(editor.selection);
        assert.notEqual(selected.trim(), "");
        const result = await vscode.commands.executeCommand<{samples: number}>("conpet.addSelectionToTask", {task: name, output: "error"});
        assert.equal(result.samples, 1);

        const store = await openExtensionStore();
        try {
            const task = await store.getTask(name);
            const [sample] = await store.listSamples(task.id);
            assert.ok(sample);
            assert.equal(sample.input, selected);
            assert.equal(sample.output, "error");
            assert.equal(sample.split, "train");
            assert.equal(sample.source?.kind, "selection");
            assert.equal(sample.source?.file, editor.document.uri.fsPath);
            assert.deepEqual(sample.source?.range, {startLine: 0, startCharacter: 0, endLine: 0, endCharacter: selected.length});
        } finally {
            await store.dispose();
        }
        assert.equal((await getTaskStatus(name))?.trainSamples, 1);
    });

    test("Add Selection to Task can create the task it names", async () => {
        const name = uniqueName("snake-to-camel");
        await openEditorWithSelection("def parse_http_header(): pass", 4, 21, "python");
        await vscode.commands.executeCommand("conpet.addSelectionToTask", {
            task: name,
            createTask: {instruction: "Convert the snake_case identifier to camelCase", kind: "generate"},
            output: "parseHttpHeader"
        });
        const status = await getTaskStatus(name);
        assert.equal(status?.kind, "generate");
        assert.equal(status?.trainSamples, 1);
    });

    test("Import Examples adds a JSONL file to a task, all or nothing", async () => {
        const name = uniqueName("log-level");
        await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Classify this log line", labels: ["error", "warning", "info"]});
        const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
        const file = path.join(folder, "examples", "log-level.jsonl");
        const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.trim() !== "").length;
        await vscode.commands.executeCommand("conpet.importExamples", {path: file, task: name});
        const imported = await getTaskStatus(name);
        // Lines without a split are divided into training and held-out samples by the import.
        assert.equal((imported?.trainSamples ?? 0) + (imported?.testSamples ?? 0), lines);
        assert.ok((imported?.testSamples ?? 0) > 0, "some samples are held out for accuracy");

        const temp = createTempFolder();
        try {
            const bad = path.join(temp.path, "bad.jsonl");
            writeFileSync(bad, "{\"input\": \"x\", \"output\": \"error\"}\nnot json\n");
            await assert.rejects(runCommand("conpet.importExamples", {path: bad, task: name}), /bad\.jsonl:2: not valid JSON/);
            assert.deepEqual(await getTaskStatus(name), imported, "a malformed file imports nothing");
        } finally {
            temp.dispose();
        }
    });

    test("Export writes chat-format JSONL inside the chosen folder", async () => {
        const name = uniqueName("export");
        await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Classify", labels: ["yes", "no"]});
        await vscode.commands.executeCommand("conpet.addSelectionToTask", {task: name, input: "is the sky blue?", output: "yes"});
        const temp = createTempFolder();
        try {
            await vscode.commands.executeCommand("conpet.export", {directory: temp.path, task: name});
            const files = readdirSync(temp.path, {recursive: true}).map(String);
            const chat = files.find((file) => file.endsWith("train.chat.jsonl"));
            assert.ok(chat, `no chat JSONL among ${files.join(", ")}`);
            const line = JSON.parse(readFileSync(path.join(temp.path, chat), "utf8").split("\n")[0]!) as {messages: {role: string; content: string}[]};
            assert.deepEqual(line.messages.map((message) => message.role), ["system", "user", "assistant"]);
            assert.equal(line.messages[2]!.content, "yes");
        } finally {
            temp.dispose();
        }
    });

    test("with nothing selected, Add Selection to Task takes the cursor's line", async () => {
        const name = uniqueName("log-level");
        await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Classify this log line", labels: ["error", "warning", "info"]});
        const editor = await openWorkspaceFileAtLine("logs/app.log", 2);
        editor.selection = new vscode.Selection(2, 4, 2, 4);
        const result = await vscode.commands.executeCommand<{input: string; samples: number}>("conpet.addSelectionToTask", {task: name, output: "info"});
        assert.equal(result.input, editor.document.lineAt(2).text);
        assert.equal(result.samples, 1);
    });

    test("an empty task is not counted as a task to train, and the sidebar says it has no samples", async () => {
        const before = (await getTestStatus()).tasksToTrain;
        const name = uniqueName("empty");
        await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Classify", labels: ["a", "b"]});
        const status = await getTestStatus();
        assert.equal(status.tasksToTrain, before, "the badge counts the empty task");
        assert.equal(status.tasks.find((task) => task.name === name)?.description, "0 samples · no training samples yet");

        await vscode.commands.executeCommand("conpet.addSelectionToTask", {task: name, input: "first", output: "a"});
        const withSample = await getTestStatus();
        assert.equal(withSample.tasksToTrain, before + 1);
        assert.equal(withSample.tasks.find((task) => task.name === name)?.description, "1 sample · not trained yet");
    });

    test("Export Task exports only its task; Export without a task exports every task", async () => {
        const first = uniqueName("export-one");
        const second = uniqueName("export-two");
        for (const name of [first, second]) {
            await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Answer yes or no", labels: ["yes", "no"]});
            await vscode.commands.executeCommand("conpet.addSelectionToTask", {task: name, input: "is it?", output: "yes"});
        }
        const one = createTempFolder();
        const all = createTempFolder();
        try {
            const exportedOne = await vscode.commands.executeCommand<{tasks: unknown[]}>("conpet.exportTask", {task: first, directory: one.path});
            assert.equal(exportedOne.tasks.length, 1);
            const exportedAll = await vscode.commands.executeCommand<{tasks: unknown[]}>("conpet.export", {directory: all.path});
            assert.equal(exportedAll.tasks.length, (await getTestStatus()).tasks.length);
            assert.ok(exportedAll.tasks.length >= 2);
        } finally {
            one.dispose();
            all.dispose();
        }
    });

    test("a mislabelled sample is relabelled or removed, and a task renamed, without deleting the task", async () => {
        const name = uniqueName("edit");
        await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Classify this log line", labels: ["error", "info"]});
        await vscode.commands.executeCommand("conpet.addSelectionToTask", {task: name, input: "disk full", output: "info"});
        await vscode.commands.executeCommand("conpet.addSelectionToTask", {task: name, input: "user signed in", output: "info"});
        const store = await openExtensionStore();
        try {
            const [wrong, other] = await store.listSamples((await store.getTask(name)).id);
            await vscode.commands.executeCommand("conpet.editSample", {sample: wrong!.id, output: "error"});
            assert.equal((await store.getSample(wrong!.id))?.output, "error");
            await assert.rejects(Promise.resolve(vscode.commands.executeCommand("conpet.editSample", {sample: wrong!.id, output: "warning"})), /not a label/);

            assert.equal(await vscode.commands.executeCommand("conpet.removeSample", {sample: other!.id}), true);
            assert.equal(await store.getSample(other!.id), undefined);
            assert.equal((await getTaskStatus(name))?.trainSamples, 1);

            const renamed = `${name}-renamed`;
            await vscode.commands.executeCommand("conpet.renameTask", {task: name, name: renamed});
            assert.equal(await getTaskStatus(name), undefined);
            assert.equal((await getTaskStatus(renamed))?.trainSamples, 1);
        } finally {
            await store.dispose();
        }
    });

    test("Delete Task removes the task and its samples", async () => {
        const name = uniqueName("to-delete");
        await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Classify", labels: ["a", "b"]});
        await vscode.commands.executeCommand("conpet.addSelectionToTask", {task: name, input: "first", output: "a"});
        assert.equal(await vscode.commands.executeCommand("conpet.deleteTask", {task: name, confirmed: true}), true);
        assert.equal(await getTaskStatus(name), undefined);
        const store = await openExtensionStore();
        try {
            assert.equal(await store.findTask(name), undefined);
            assert.ok(existsSync(store.databasePath));
        } finally {
            await store.dispose();
        }
    });
});
