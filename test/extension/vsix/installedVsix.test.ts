// The extension as a user gets it: installed from the VSIX (`npm run package -- --check` runs this file alone,
// with `CONPET_TEST_VSIX=1`). It activates from the extensions folder, and the native parts it ships work from
// there: sqlite3 (the store), node-llama-cpp (the engine loads the reference model) and the trainer (a short
// training run), ending with a routed answer.
import assert from "node:assert/strict";
import path from "node:path";
import * as vscode from "vscode";
import {activateExtension} from "../builders/activateExtension";
import {getTestModelPath} from "../builders/getTestModelPath";
import {runCommand} from "../builders/runCommand";
import {setConpetSettings} from "../builders/settings";
import {getTestStatus} from "../builders/testHooks";

suite("the extension installed from the VSIX", function () {
    this.timeout(300_000);
    let restoreSettings: (() => Promise<void>) | undefined;

    suiteTeardown(async () => {
        await restoreSettings?.();
    });

    test("activates from the extensions folder, not from the repository", async () => {
        const extension = await activateExtension();
        assert.match(extension.extensionPath, /[\\/]extensions[\\/]conpet\.conpet-vscode-[^\\/]+$/);
        assert.ok((extension.packageJSON as {icon?: string}).icon, "the manifest names an icon");
    });

    test("its store, engine and trainer work: a task is trained and answers", async () => {
        const modelPath = getTestModelPath();
        assert.ok(modelPath, "the reference model stories260K.gguf is missing (set CONPET_TEST_MODEL_PATH)");
        restoreSettings = await setConpetSettings({threads: 1, gpuLayers: 0, "training.stepsPerTask": 4});
        assert.equal(await runCommand("conpet.selectModel", {path: modelPath, load: true}), modelPath);
        assert.equal((await getTestStatus()).engineRunning, true);

        const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
        await runCommand("conpet.createTask", {name: "log-level", instruction: "Classify this log line by its level", labels: ["error", "warning", "info"]});
        await runCommand("conpet.importExamples", {path: path.join(folder, "examples", "log-level.jsonl"), task: "log-level"});
        const trained = await runCommand<{learned: {task: string}[]}>("conpet.train", {});
        assert.deepEqual(trained.learned.map((item) => item.task), ["log-level"]);
        assert.equal((await getTestStatus()).tasks[0]?.state, "ready");

        const answer = await runCommand<{output: string; task: string}>("conpet.runOnSelection", {input: "2026-11-20 ERROR db: connection refused", mode: "show"});
        assert.equal(answer.task, "log-level");
        assert.ok(["error", "warning", "info"].includes(answer.output), answer.output);
    });
});
