// In Restricted Mode (an untrusted workspace) the extension still activates and shows its tasks, and every
// command that trains, runs a model or reads workspace files refuses with a message that says how to trust the
// workspace, before it starts anything. Runs only in the harness's untrusted pass (`CONPET_TEST_UNTRUSTED=1`).
import assert from "node:assert/strict";
import path from "node:path";
import * as vscode from "vscode";
import {activateExtension} from "../builders/activateExtension";
import {getTestModelPath} from "../builders/getTestModelPath";
import {closeAllEditors, openEditorWithSelection} from "../builders/openEditor";
import {runCommand} from "../builders/runCommand";
import {setConpetSettings} from "../builders/settings";
import {getLastError, getTaskStatus, getTestStatus} from "../builders/testHooks";
import {uniqueName} from "../builders/uniqueName";

suite("untrusted workspace", () => {
    let restoreSettings: () => Promise<void>;
    let taskName: string;

    suiteSetup(async () => {
        assert.equal(vscode.workspace.isTrusted, false, "the harness should have opened the workspace in Restricted Mode");
        await activateExtension();
        const modelPath = getTestModelPath();
        assert.ok(modelPath !== undefined, "the reference model is needed, so that only the missing trust stops the commands");
        restoreSettings = await setConpetSettings({modelPath});
        taskName = uniqueName("untrusted");
    });

    suiteTeardown(async () => {
        await closeAllEditors();
        await restoreSettings();
    });

    test("tasks and examples can still be defined, and the sidebar shows them", async () => {
        await runCommand("conpet.createTask", {name: taskName, instruction: "Classify this log line", labels: ["error", "info"]});
        await runCommand("conpet.addSelectionToTask", {task: taskName, input: "disk full", output: "error"});
        await runCommand("workbench.view.extension.conpet");
        await runCommand("conpet.tasks.focus");
        const status = await getTestStatus();
        assert.equal(status.trusted, false);
        assert.deepEqual(status.tasks.find((task) => task.name === taskName), {
            name: taskName, kind: "classify", state: "untrained", trainSamples: 1, testSamples: 0, moduleId: null, heldOutAccuracy: null,
            description: "1 sample · not trained yet"
        });
    });

    test("Train, Run on Selection, Run Task, Import Examples and Import Adapter refuse and say how to trust the workspace", async () => {
        await openEditorWithSelection("2026-11-19 ERROR api crashed");
        const examples = path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? "", "examples", "log-level.jsonl");
        const refusals: [string, unknown, string][] = [
            ["conpet.train", {}, "Training"],
            ["conpet.runOnSelection", {mode: "show"}, "Running the model"],
            ["conpet.runTask", {task: taskName, input: "disk full", mode: "show"}, "Running the model"],
            ["conpet.importExamples", {path: examples, task: taskName}, "Importing examples"],
            ["conpet.importAdapter", {path: examples, task: taskName}, "Importing an adapter"]
        ];
        for (const [command, args, action] of refusals) {
            await assert.rejects(runCommand(command, args), (err) => {
                assert.equal(err instanceof Error ? err.message : String(err), `${action} is disabled in an untrusted workspace. Trust this workspace to use it.`, command);
                return true;
            });
            const error = await getLastError();
            assert.equal(error?.code, "INVALID_INPUT", command);
            assert.deepEqual(error?.data, {reason: "untrusted", action}, command);
        }
        const status = await getTestStatus();
        assert.equal(status.engineRunning, false, "no engine was started");
        assert.equal(status.training, false, "no training was started");
        assert.equal((await getTaskStatus(taskName))?.trainSamples, 1, "nothing was imported");
    });
});
