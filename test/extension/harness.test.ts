// Proves the harness itself: this suite runs inside the real extension host of a real VS Code, the
// extension under test is installed there, and the native modules the extension needs load on its Node.
import assert from "node:assert/strict";
import {fork} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {pathToFileURL} from "node:url";
import * as vscode from "vscode";

const extensionId = "conpet.conpet-vscode";

suite("harness", () => {
    test("runs inside a VS Code extension host with the extension installed", () => {
        const extension = vscode.extensions.getExtension(extensionId);
        assert.ok(extension, `${extensionId} is not among ${vscode.extensions.all.length} extensions`);
        assert.equal(extension.packageJSON.name, "conpet-vscode");
        assert.match(vscode.version, /^1\.\d+\.\d+/);
        assert.ok(vscode.workspace.workspaceFolders?.length, "a workspace folder is open");
    });

    test("sqlite3 loads in the extension host", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sqlite3: typeof import("sqlite3") = require("sqlite3");
        const db = new sqlite3.Database(":memory:");
        const row = await new Promise<{v: string}>((resolve, reject) => db.get("select sqlite_version() as v", (err: Error | null, result: {v: string}) => err ? reject(err) : resolve(result)));
        await new Promise<void>((resolve) => db.close(() => resolve()));
        assert.match(row.v, /^3\.\d+/);
    });

    test("node-llama-cpp loads in a process forked from the extension host, as the engine is", async () => {
        const extension = vscode.extensions.getExtension(extensionId);
        assert.ok(extension);
        const entry = pathToFileURL(path.join(extension.extensionPath, "node_modules", "node-llama-cpp", "dist", "index.js")).href;
        const script = `const {getLlama} = await import(${JSON.stringify(entry)});` +
            "const llama = await getLlama({gpu: false, build: 'never', logLevel: 'error'});" +
            "process.send({release: llama.llamaCppRelease.release, node: process.version}); await llama.dispose();";
        const directory = mkdtempSync(path.join(os.tmpdir(), "conpet-harness-"));
        const scriptPath = path.join(directory, "loadLlama.mjs");
        writeFileSync(scriptPath, script);
        let message: {release: string, node: string};
        try {
            // As the engine client does: the extension host's own runtime, run as plain Node.
            const child = fork(scriptPath, [], {execPath: process.execPath, env: {...process.env, ELECTRON_RUN_AS_NODE: "1"}, stdio: ["ignore", "pipe", "pipe", "ipc"]});
            let stderr = "";
            child.stderr?.on("data", (chunk) => { stderr += chunk; });
            message = await new Promise<{release: string, node: string}>((resolve, reject) => {
                child.once("message", (value) => resolve(value as {release: string, node: string}));
                child.once("exit", (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
            });
        } finally {
            rmSync(directory, {recursive: true, force: true});
        }
        assert.match(message.release, /^v\d+\.\d+/);
        assert.equal(message.node, process.version);
    });
});
