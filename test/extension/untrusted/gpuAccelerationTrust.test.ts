// In Restricted Mode "Enable GPU Acceleration" refuses before it asks anything or touches the network: the
// registry it was pointed at gets no request. Runs only in the harness's untrusted pass.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import {startFixtureRegistry} from "../../utils/fixtureRegistry";
import {activateExtension} from "../builders/activateExtension";
import {runCommand} from "../builders/runCommand";
import {getLastError, getTestStatus} from "../builders/testHooks";

suite("Enable GPU Acceleration in an untrusted workspace", () => {
    test("refuses without a request and says how to trust the workspace", async () => {
        assert.equal(vscode.workspace.isTrusted, false);
        await activateExtension();
        const registry = await startFixtureRegistry([]);
        try {
            await assert.rejects(runCommand("conpet.enableGpuAcceleration", {backend: "vulkan", registry: registry.url}),
                /Enabling GPU acceleration is disabled in an untrusted workspace\. Trust this workspace to use it\./);
            assert.deepEqual((await getLastError())?.data, {reason: "untrusted", action: "Enabling GPU acceleration"});
            assert.deepEqual(registry.requests, []);
            assert.equal((await getTestStatus()).gpuBackend.state, "none");
        } finally {
            await registry.close();
        }
    });
});
