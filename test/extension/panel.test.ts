// The panel's page and its message check: a strict CSP with a fresh nonce per render, resources
// only from media/ and dist/, and every message from the webview validated.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import {getPanelHtml} from "../../src/extension/panel/getPanelHtml";
import {parseWebviewMessage} from "../../src/extension/panel/parseWebviewMessage";
import {testCommandIds} from "../../src/extension/constants";
import type {PanelState} from "../../src/extension/panel/protocol";
import {activateExtension} from "./builders/activateExtension";
import {openExtensionStore} from "./builders/openStore";

suite("panel", () => {
    let extensionUri: vscode.Uri;

    suiteSetup(async () => {
        extensionUri = (await activateExtension()).extensionUri;
    });

    test("the page has a strict CSP and a fresh nonce on every render", () => {
        const panel = vscode.window.createWebviewPanel("conpet.test", "CSP test", vscode.ViewColumn.Active, {enableScripts: true});
        try {
            const first = getPanelHtml(panel.webview, extensionUri);
            const second = getPanelHtml(panel.webview, extensionUri);
            const csp = first.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
            assert.ok(csp, "the page declares a CSP");
            const directives = new Map(csp.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
            assert.deepEqual(directives.get("default-src"), ["'none'"]);
            assert.deepEqual(directives.get("style-src"), panel.webview.cspSource.split(/\s+/));
            const scriptSources = directives.get("script-src") ?? [];
            assert.equal(scriptSources.length, 1);
            assert.match(scriptSources[0]!, /^'nonce-[A-Za-z0-9+/=]{16,}'$/);
            assert.ok(!csp.includes("unsafe-inline") && !csp.includes("unsafe-eval"));

            const nonce = (html: string) => html.match(/'nonce-([^']+)'/)?.[1];
            assert.notEqual(nonce(first), nonce(second), "each render gets its own nonce");
            const scripts = [...first.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
            assert.equal(scripts.length, 1);
            assert.ok(scripts[0]![1]!.includes(`nonce="${nonce(first)}"`));
            assert.equal(scripts[0]![2]!.trim(), "", "no inline script");
            assert.match(scripts[0]![1]!, /src="[^"]*\/dist\/webview-panel\.js"/);
            assert.match(first, /<link rel="stylesheet" href="[^"]*\/media\/panel\.css">/);
            assert.ok(!/ style="/.test(first), "no inline style attributes");
        } finally {
            panel.dispose();
        }
    });

    test("only well-formed messages from the webview are accepted", () => {
        assert.deepEqual(parseWebviewMessage({type: "ready"}), {type: "ready"});
        assert.deepEqual(
            parseWebviewMessage({type: "request", id: 3, method: "runCommand", params: {command: "train"}}),
            {type: "request", id: 3, method: "runCommand", params: {command: "train"}}
        );
        for (const bad of [
            null, "ready", 42, {}, {type: "unknown"},
            {type: "request", id: 1, method: "runCommand", params: {command: "workbench.action.terminal.new"}},
            {type: "request", id: 1, method: "runCommand", params: {command: "deleteTask"}},
            {type: "request", id: "1", method: "runCommand", params: {command: "train"}},
            {type: "request", id: 1.5, method: "runCommand", params: {command: "train"}},
            {type: "request", id: 1, method: "eval", params: {command: "train"}},
            {type: "request", id: 1, method: "runCommand"}
        ])
            assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    });

    test("the opened panel receives the state from the store", async () => {
        await vscode.commands.executeCommand("conpet.createTask", {name: `panel-${Date.now().toString(36)}`, instruction: "Classify", labels: ["a", "b"]});
        await vscode.commands.executeCommand("conpet.openPanel");
        const deadline = Date.now() + 30_000;
        let state: PanelState | null = null;
        while (Date.now() < deadline) {
            state = await vscode.commands.executeCommand<PanelState | null>(testCommandIds.getPanelState) ?? null;
            if (state !== null && state.tasks.some((task) => task.name.startsWith("panel-")))
                break;
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.ok(state, "the webview posted ready and the host sent the state");
        const task = state.tasks.find((candidate) => candidate.name.startsWith("panel-"));
        assert.equal(task?.state, "untrained");
        assert.equal(task?.module, null);
        assert.equal(state.trusted, vscode.workspace.isTrusted);
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    });

    test("accuracy measured on training samples is never shown as held-out accuracy, nor averaged with it", async () => {
        const suffix = Date.now().toString(36);
        const heldOut = `held-out-${suffix}`;
        const trainOnly = `train-only-${suffix}`;
        for (const name of [heldOut, trainOnly])
            await vscode.commands.executeCommand("conpet.createTask", {name, instruction: "Classify", labels: ["a", "b"]});
        const store = await openExtensionStore();
        try {
            // What Train stores after measuring a task with held-out samples and one without any.
            await store.addEvaluation({
                mode: "dynamic", tasks: [heldOut, trainOnly], accuracyMatrix: [[0.5], [0.5, 1]], selectorAccuracy: 0.75,
                details: {source: "panel-test", measuredOn: {[heldOut]: "test", [trainOnly]: "train"}}
            });
        } finally {
            await store.dispose();
        }
        await vscode.commands.executeCommand("conpet.refresh");
        await vscode.commands.executeCommand("conpet.openPanel");
        const state = await waitForPanelState((candidate) => candidate.evaluation?.tasks.includes(trainOnly) === true);
        const task = (name: string) => state.tasks.find((candidate) => candidate.name === name)!;
        assert.equal(task(heldOut).heldOutAccuracy, 0.5);
        assert.equal(task(trainOnly).heldOutAccuracy, null, "a training-set accuracy is shown as held-out");
        assert.equal(task(trainOnly).trainAccuracy, 1);
        assert.deepEqual(state.evaluation!.trainMeasured, [trainOnly]);
        assert.equal(state.evaluation!.heldOutAverage, 0.5, "the training-set accuracy raises the average");
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    });
});

async function waitForPanelState(predicate: (state: PanelState) => boolean): Promise<PanelState> {
    const deadline = Date.now() + 30_000;
    for (;;) {
        const state = await vscode.commands.executeCommand<PanelState | null>(testCommandIds.getPanelState) ?? null;
        if (state !== null && predicate(state))
            return state;
        if (Date.now() > deadline)
            throw new Error(`the panel did not get the expected state; last: ${JSON.stringify(state)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
