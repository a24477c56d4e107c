// code-server runs the extension host on the server and the UI in the browser: the same split as
// Remote-SSH, dev containers and Codespaces. ConPET must run on the workspace side of it, with its
// engine, trainer and store on that machine, and refuse to do model work if VS Code ever starts it
// on the UI side of a remote window.
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import {getMisplacedHostProblem} from "../../src/extension/remote/getMisplacedHostProblem";
import {refuseMisplacedHost} from "../../src/extension/remote/refuseMisplacedHost";
import {activateExtension} from "./builders/activateExtension";
import {runCommand} from "./builders/runCommand";
import {getTestStatus} from "./builders/testHooks";

suite("remote split (extension host on the server, UI in the browser)", () => {
    test("ConPET runs in the workspace extension host of a remote window, with its engine, trainer and store on that machine", async () => {
        const extension = await activateExtension();
        assert.deepEqual((extension.packageJSON as {extensionKind?: string[]}).extensionKind, ["workspace"]);
        assert.equal(extension.extensionKind, vscode.ExtensionKind.Workspace);
        assert.ok(typeof vscode.env.remoteName === "string" && vscode.env.remoteName !== "", `code-server's window is a remote window (remoteName ${String(vscode.env.remoteName)})`);
        assert.equal(vscode.env.uiKind, vscode.UIKind.Web, "the UI runs in the browser");
        // Paths the extension host resolves are files of its own machine.
        assert.equal(extension.extensionUri.scheme, "file");
        assert.ok(existsSync(path.join(extension.extensionPath, "dist", "engine.mjs")), "the engine bundle is beside the extension");
        assert.ok(existsSync(path.join(extension.extensionPath, "native", "build", "bin", "conpet-train")), "the trainer is in the extension's folder");
        assert.ok(existsSync(path.join((await getTestStatus()).storePath, "conpet.db")), "the store is on this machine");
    });

    test("the UI side of a remote window is refused; the workspace side, or a local window, is not", () => {
        const remote = vscode.env.remoteName;
        assert.equal(getMisplacedHostProblem("workspace", remote), undefined);
        assert.equal(getMisplacedHostProblem("ui", undefined), undefined, "a local window has one machine");
        assert.match(getMisplacedHostProblem("ui", remote) ?? "", /not activated.*remote\.extensionKind/);
    });

    test("activation placed on the UI side registers the commands to show the refusal and wires nothing else", async () => {
        const probe = "conpet._test.misplacedProbe";
        const subscriptions: vscode.Disposable[] = [];
        const context = {
            extension: {extensionKind: vscode.ExtensionKind.UI, packageJSON: {contributes: {commands: [{command: probe}]}}},
            subscriptions
        } as unknown as vscode.ExtensionContext;
        try {
            assert.equal(refuseMisplacedHost(context), true, "activation stops");
            assert.equal(subscriptions.length, 1, "only the refusal command was registered");
            assert.ok((await vscode.commands.getCommands(true)).includes(probe));
            assert.equal(await runCommand(probe), undefined, "the command shows the refusal instead of doing work");
        } finally {
            subscriptions.forEach((subscription) => subscription.dispose());
        }
        const real = {extension: {extensionKind: vscode.ExtensionKind.Workspace, packageJSON: {}}, subscriptions: []} as unknown as vscode.ExtensionContext;
        assert.equal(refuseMisplacedHost(real), false, "the workspace side activates");
    });
});
