// The extension activates in a real extension host, wires its views and status without starting
// any process, and keeps its store in the extension's global storage.
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import {activateExtension} from "./builders/activateExtension";
import {getTestStatus} from "./builders/testHooks";

suite("activation", () => {
    test("activates and opens its store in the global storage folder", async () => {
        const extension = await activateExtension();
        const status = await getTestStatus();
        assert.ok(path.isAbsolute(status.storePath), status.storePath);
        // The tasks view reads the store when it is shown, so the database exists once we asked for the status.
        assert.ok(existsSync(path.join(status.storePath, "conpet.db")), `no conpet.db in ${status.storePath}`);
        assert.ok(!status.storePath.startsWith(extension.extensionPath), "the store is not written into the extension's own folder");
        assert.equal(status.trusted, vscode.workspace.isTrusted);
    });

    test("does not start the engine on activation", async () => {
        await activateExtension();
        const status = await getTestStatus();
        assert.equal(status.engineRunning, false, "the engine must start on first use, not at activation");
        assert.equal(status.training, false);
    });

    test("the tasks view and the panel open", async () => {
        await activateExtension();
        await vscode.commands.executeCommand("conpet.tasks.focus");
        assert.equal(await vscode.commands.executeCommand("conpet.openPanel"), true);
        const status = await getTestStatus();
        assert.equal(status.panelOpen, true);
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    });
});
