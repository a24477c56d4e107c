// Bad input gets a clear message and loses nothing: no model selected, an empty selection, a 5 MB
// selection, task names with path characters, a corrupt model file.
import assert from "node:assert/strict";
import {readdirSync, writeFileSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import type {Task} from "../../src/vocabulary/types";
import {runCommand} from "./builders/runCommand";
import {activateExtension} from "./builders/activateExtension";
import {closeAllEditors, openEditorWithSelection} from "./builders/openEditor";
import {openExtensionStore} from "./builders/openStore";
import {setConpetSettings, withoutModelEnv} from "./builders/settings";
import {createTempFolder} from "./builders/tempFolder";
import {getLastError, getTaskStatus, getTestStatus} from "./builders/testHooks";
import {uniqueName} from "./builders/uniqueName";

suite("bad input", () => {
    let restoreSettings: () => Promise<void>;
    let taskName: string;

    suiteSetup(async () => {
        await activateExtension();
        restoreSettings = await setConpetSettings({modelPath: ""});
        taskName = uniqueName("bad-input");
        await vscode.commands.executeCommand("conpet.createTask", {name: taskName, instruction: "Classify this log line", labels: ["error", "info"]});
        await vscode.commands.executeCommand("conpet.addSelectionToTask", {task: taskName, input: "disk full", output: "error"});
    });

    suiteTeardown(async () => {
        await restoreSettings();
    });

    teardown(async () => {
        await closeAllEditors();
    });

    test("no model selected: Run on Selection and Train say how to select one", async () => {
        await withoutModelEnv(async () => {
            assert.equal((await getTestStatus()).modelPath, "");
            await openEditorWithSelection("2026-11-19 ERROR api crashed");
            await assert.rejects(runCommand("conpet.runOnSelection", {mode: "show"}), /No model is selected.*Select Model/);
            assert.equal((await getLastError())?.code, "MODEL_NOT_SELECTED");
            await assert.rejects(runCommand("conpet.train", {}), /No model is selected/);
            assert.equal((await getTestStatus()).engineRunning, false, "nothing was started without a model");
        });
        assert.equal((await getTaskStatus(taskName))?.trainSamples, 1, "the task and its sample are untouched");
    });

    test("an empty selection on an empty line is refused before anything is stored", async () => {
        // Nothing selected takes the cursor's line, which is empty here.
        await openEditorWithSelection("first\n\nthird", 6, 6);
        await assert.rejects(runCommand("conpet.addSelectionToTask", {task: taskName, output: "info"}), /Nothing is selected and the cursor's line is empty/);
        assert.equal((await getLastError())?.code, "INVALID_INPUT");
        await openEditorWithSelection("   \n\t  ");
        await assert.rejects(runCommand("conpet.addSelectionToTask", {task: taskName, output: "info"}), /The selection is empty/);
        assert.equal((await getTaskStatus(taskName))?.trainSamples, 1);
    });

    test("a 5 MB selection is refused with the size and the limit", async () => {
        const line = "2026-11-19 22:01:13 INFO api: request served in 12 ms\n";
        const content = line.repeat(Math.ceil((5 * 1024 * 1024) / line.length));
        await openEditorWithSelection(content);
        await assert.rejects(
            runCommand("conpet.addSelectionToTask", {task: taskName, output: "info"}),
            /too large \(5\.\d MB\).*limit is 64 KB/
        );
        assert.equal((await getLastError())?.code, "SAMPLE_TOO_LONG");
        await assert.rejects(runCommand("conpet.runOnSelection", {mode: "show"}), /too large/);
        assert.equal((await getTaskStatus(taskName))?.trainSamples, 1);
    });

    test("a label that is not one of the task's is refused", async () => {
        await assert.rejects(
            runCommand("conpet.addSelectionToTask", {task: taskName, input: "all good", output: "fine"}),
            /"fine" is not a label of .*error, info/
        );
    });

    test("task names with path characters are kept as names and sanitised as file names", async () => {
        const name = `../../etc/passwd \\ C:\\tmp\\x:*?"<>| ${uniqueName("path")}`;
        const task = await vscode.commands.executeCommand<Task>("conpet.createTask", {name, instruction: "Classify", labels: ["yes", "no"]});
        assert.equal(task.name, name);
        await vscode.commands.executeCommand("conpet.addSelectionToTask", {task: name, input: "is it?", output: "yes"});
        assert.equal((await getTaskStatus(name))?.trainSamples, 1);

        const temp = createTempFolder();
        try {
            const exportDir = path.join(temp.path, "export");
            await vscode.commands.executeCommand("conpet.export", {directory: exportDir, task: name});
            // Everything was written under the export folder, with no separators or ".." in the names.
            const written = readdirSync(temp.path, {recursive: true}).map(String);
            assert.ok(written.length > 1, written.join(", "));
            for (const file of written) {
                assert.ok(file.startsWith("export"), `${file} escaped the export folder`);
                for (const part of file.split(path.sep).slice(1))
                    assert.ok(part !== ".." && !/[\\/:*?"<>|]/.test(part), `unsafe name ${part}`);
            }
        } finally {
            temp.dispose();
        }
    });

    test("invalid task names are refused with the rule", async () => {
        await assert.rejects(runCommand("conpet.createTask", {name: "  ", instruction: "x", labels: ["a", "b"]}), /task name must not be empty/);
        await assert.rejects(runCommand("conpet.createTask", {name: "two\nlines", instruction: "x", labels: ["a", "b"]}), /control characters/);
        await assert.rejects(runCommand("conpet.createTask", {name: uniqueName("one-label"), instruction: "x", labels: ["a"]}), /at least two labels/);
        await assert.rejects(runCommand("conpet.createTask", {name: taskName, instruction: "x", labels: ["a", "b"]}), /exists/i);
    });

    test("a corrupt model file is refused and the current model setting is kept", async () => {
        const temp = createTempFolder();
        try {
            const corrupt = path.join(temp.path, "corrupt.gguf");
            writeFileSync(corrupt, Buffer.from("this is not a model, just text that ends in .gguf\n".repeat(100)));
            await assert.rejects(runCommand("conpet.selectModel", {path: corrupt}), /not a GGUF model file/);
            assert.equal((await getLastError())?.code, "MODEL_INVALID");
            assert.equal(vscode.workspace.getConfiguration("conpet").get("modelPath"), "", "the setting was not changed");

            await assert.rejects(runCommand("conpet.selectModel", {path: path.join(temp.path, "missing.gguf")}), /not found/);
            assert.equal((await getLastError())?.code, "MODEL_NOT_FOUND");

            // Set behind the extension's back (settings.json edited by hand): running reports it clearly, and the tasks stay.
            await withoutModelEnv(async () => {
                await vscode.workspace.getConfiguration("conpet").update("modelPath", corrupt, vscode.ConfigurationTarget.Global);
                await assert.rejects(runCommand("conpet.runOnSelection", {input: "2026-11-19 ERROR api crashed", mode: "show"}), /not a GGUF model file/);
                await vscode.workspace.getConfiguration("conpet").update("modelPath", "", vscode.ConfigurationTarget.Global);
            });
        } finally {
            temp.dispose();
        }
        const store = await openExtensionStore();
        try {
            assert.equal(await store.countSamples({taskId: (await store.getTask(taskName)).id}), 1, "nothing was lost");
        } finally {
            await store.dispose();
        }
    });
});
