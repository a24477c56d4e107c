// A GGUF is parsed by llama.cpp when it loads: in Restricted Mode Select Model refuses to load one
// (and saves nothing), before any engine starts. Runs only in the harness's untrusted pass.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import {activateExtension} from "../builders/activateExtension";
import {getTestModelPath} from "../builders/getTestModelPath";
import {runCommand} from "../builders/runCommand";
import {getLastError, getTestStatus} from "../builders/testHooks";

suite("Select Model in an untrusted workspace", () => {
    test("refuses to load the model and says how to trust the workspace", async () => {
        await activateExtension();
        const modelPath = getTestModelPath();
        assert.ok(modelPath !== undefined, "the reference model is needed, so that only the missing trust stops the load");
        const before = vscode.workspace.getConfiguration("conpet").inspect("modelPath")?.globalValue;
        await assert.rejects(runCommand("conpet.selectModel", {path: modelPath, load: true}), (err) => {
            assert.equal(err instanceof Error ? err.message : String(err), "Loading a model is disabled in an untrusted workspace. Trust this workspace to use it.");
            return true;
        });
        assert.deepEqual((await getLastError())?.data, {reason: "untrusted", action: "Loading a model"});
        assert.equal((await getTestStatus()).engineRunning, false, "no engine was started");
        assert.equal(vscode.workspace.getConfiguration("conpet").inspect("modelPath")?.globalValue, before, "nothing was saved");
    });
});
