/**
 * The engine process and its client without a model: malformed IPC messages get an error reply or
 * a log line and never kill the process; a missing entry file surfaces as ENGINE_CRASHED with the
 * process's own error. Needs `npm run build` (dist/engine.mjs).
 */
import assert from "node:assert/strict";
import {fork, spawnSync} from "node:child_process";
import path from "node:path";
import {describe, test} from "node:test";
import {ConpetError} from "../../src/vocabulary/errors";
import {EngineClient, type EngineCrash} from "../../src/engine/client/EngineClient";
import {EngineCrashedError} from "../../src/engine/client/EngineCrashedError";
import {getEngineEntryPath, repositoryRoot} from "../model/engineTestClient";

describe("engine process without a model", () => {
    test("answers malformed requests with INVALID_INPUT, logs id-less garbage, and keeps running", async () => {
        const child = fork(getEngineEntryPath(), [], {execArgv: [], stdio: ["ignore", "ignore", "pipe", "ipc"]});
        try {
            const replies = new Map<number, {result?: unknown; error?: {code: string; message: string}}>();
            const logs: string[] = [];
            child.on("message", (message: {id?: number; event?: string; data?: {message: string}}) => {
                if (message.event === "log")
                    logs.push(message.data!.message);
                else if (typeof message.id === "number")
                    replies.set(message.id, message as never);
            });
            for (const garbage of [null, "load", 42, [], {id: "x", method: "info"}, {cancel: "all"}])
                child.send(garbage as never);
            child.send({id: 1, method: "explode", params: {}});
            child.send({id: 2, method: "score", params: {items: 3}});
            child.send({id: 3, method: "load", params: {modelPath: "", threads: 1}});
            child.send({id: 4, method: "generate", params: {prompt: "hi"}});
            child.send({id: 5, method: "info", params: {}});
            for (let i = 0; i < 200 && !replies.has(5); i++)
                await new Promise((resolve) => setTimeout(resolve, 25));

            assert.equal(replies.get(1)?.error?.code, "INVALID_INPUT");
            assert.equal(replies.get(2)?.error?.code, "INVALID_INPUT");
            assert.equal(replies.get(3)?.error?.code, "INVALID_INPUT");
            assert.equal(replies.get(4)?.error?.code, "MODEL_NOT_SELECTED");
            assert.deepEqual(replies.get(5), {id: 5, result: null});
            assert.ok(logs.filter((line) => line.startsWith("Ignored a malformed engine message")).length >= 5, logs.join("\n"));
            assert.equal(child.exitCode, null);
        } finally {
            child.kill("SIGKILL");
        }
    });

    test("refuses to run without an IPC channel", () => {
        const result = spawnSync(process.execPath, [getEngineEntryPath()], {encoding: "utf8"});
        assert.equal(result.status, 2);
        assert.match(result.stderr, /started by EngineClient over IPC/);
    });

    test("a client whose entry file is missing reports ENGINE_CRASHED with the process's error", async () => {
        const client = new EngineClient({entryPath: path.join(repositoryRoot, "dist", "no-such-engine.mjs")});
        const crashes: EngineCrash[] = [];
        client.onDidCrash((crash) => crashes.push(crash));
        try {
            const err: unknown = await client.info().then(() => null, (error: unknown) => error);
            assert.ok(err instanceof EngineCrashedError, String(err));
            assert.ok(ConpetError.is(err, "ENGINE_CRASHED"));
            assert.equal(err.exitCode, 1);
            assert.match(err.stderrTail, /no-such-engine\.mjs/);
            assert.equal(crashes.length, 1);
        } finally {
            client.dispose();
        }
    });
});
