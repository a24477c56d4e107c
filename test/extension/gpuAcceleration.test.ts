// "Enable GPU Acceleration" in the real extension host, against a registry-shaped server on 127.0.0.1: a wrong
// tarball and one cut short are refused with clear errors and leave the model on the CPU; the package npm
// published (from npm's own cache, checked against the pins this build ships) installs, the engine restarts on
// it (here, without a Vulkan driver, it says why and keeps running on the CPU), and Disable removes it.
import assert from "node:assert/strict";
import {existsSync, readFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import * as vscode from "vscode";
import {buildPackageTarball, startFixtureRegistry, type FixtureRegistry} from "../utils/fixtureRegistry";
import {activateExtension} from "./builders/activateExtension";
import {getTestModelPath} from "./builders/getTestModelPath";
import {runCommand} from "./builders/runCommand";
import {setConpetSettings} from "./builders/settings";
import {getLastError, getTestStatus} from "./builders/testHooks";
import {waitForPanelState} from "./builders/waitFor";

const vulkan = "@node-llama-cpp/linux-x64-vulkan";

/** The tarball npm published, if `npm ci` left it in npm's cache (content-addressed by its sha512). */
function findPublishedTarball(integrity: string): Buffer | undefined {
    const hex = Buffer.from(integrity.replace(/^sha512-/, ""), "base64").toString("hex");
    const cache = process.env.npm_config_cache ?? path.join(os.homedir(), ".npm");
    const file = path.join(cache, "_cacache", "content-v2", "sha512", hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
    return existsSync(file) ? readFileSync(file) : undefined;
}

suite("GPU acceleration on demand", function () {
    this.timeout(300_000);
    let restoreSettings: () => Promise<void>;
    let pinned: {version: string; integrity: string};
    const registries: FixtureRegistry[] = [];

    suiteSetup(async function () {
        if (`${process.platform}-${process.arch}` !== "linux-x64")
            this.skip();
        const extension = await activateExtension();
        const pins = JSON.parse(readFileSync(path.join(extension.extensionPath, "dist", "gpu-backends.json"), "utf8")) as {packages: Record<string, {version: string; integrity: string}>};
        pinned = pins.packages[vulkan]!;
        const modelPath = getTestModelPath();
        assert.ok(modelPath, "the reference model stories260K.gguf is missing (set CONPET_TEST_MODEL_PATH)");
        // gpuLayers must not be 0, or the engine never tries a GPU backend.
        restoreSettings = await setConpetSettings({modelPath: "", threads: 1, gpuLayers: "max"});
        await runCommand("conpet.selectModel", {path: modelPath, load: true});
        if ((await getTestStatus()).gpuBackend.state !== "none")
            await runCommand("conpet.disableGpuAcceleration");
    });

    teardown(async () => {
        await Promise.all(registries.splice(0).map((registry) => registry.close()));
    });

    suiteTeardown(async () => {
        if (restoreSettings !== undefined) {
            if ((await getTestStatus()).gpuBackend.state !== "none")
                await runCommand("conpet.disableGpuAcceleration");
            await restoreSettings();
        }
    });

    const serve = async (tarball: Buffer, options: {documentIntegrity?: null; delivery?: "cut-short"} = {}) => {
        const registry = await startFixtureRegistry([{name: vulkan, version: pinned.version, tarball, ...options}]);
        registries.push(registry);
        return registry;
    };

    test("a tarball that does not match the pinned sha512, or one cut short, is refused; the model stays on the CPU", async () => {
        const forged = await buildPackageTarball(vulkan, pinned.version, {"dist/index.js": "", "bins/linux-x64-vulkan/libggml-vulkan.so": "forged"});
        const forgedRegistry = await serve(forged, {documentIntegrity: null});
        await assert.rejects(runCommand("conpet.enableGpuAcceleration", {backend: "vulkan", registry: forgedRegistry.url}), /does not match the sha512 pinned in this build.*nothing was installed/);
        assert.equal((await getLastError())?.code, "INTEGRITY_MISMATCH");

        const published = findPublishedTarball(pinned.integrity) ?? forged;
        const cutRegistry = await serve(published, {delivery: "cut-short"});
        await assert.rejects(runCommand("conpet.enableGpuAcceleration", {backend: "vulkan", registry: cutRegistry.url}), /broke off after \d+ of \d+ bytes/);
        assert.equal((await getLastError())?.code, "DOWNLOAD_FAILED");

        const status = await getTestStatus();
        assert.equal(status.gpuBackend.state, "none");
        assert.equal(status.modelInfo?.backend, "cpu");
        assert.equal(status.modelInfo?.gpuBackendProblem, undefined);
    });

    test("the published Vulkan package installs; the engine restarts on it or says why not; Disable removes it", async function () {
        const published = findPublishedTarball(pinned.integrity);
        if (published === undefined)
            this.skip();
        const registry = await serve(published);
        const result = await runCommand<{kind: string; backend: string; gpuBackendProblem: string | null; bytes: number}>("conpet.enableGpuAcceleration", {backend: "vulkan", registry: registry.url});
        assert.equal(result.kind, "vulkan");
        assert.ok(result.bytes > 50 * 2 ** 20, `${result.bytes} bytes unpacked`);
        let status = await getTestStatus();
        assert.equal(status.gpuBackend.state, "installed");
        if (result.backend === "vulkan")
            assert.equal(status.modelInfo?.gpuLayers, status.modelInfo?.layers, "every layer offloaded");
        else {
            assert.equal(result.backend, "cpu");
            assert.match(result.gpuBackendProblem ?? "", /The installed Vulkan backend could not be loaded: .*The model runs on the CPU/);
            assert.equal(status.modelInfo?.gpuBackendProblem, result.gpuBackendProblem);
        }
        await runCommand("conpet.openPanel");
        const panel = await waitForPanelState((state) => state.engine.installedGpuBackend === "vulkan");
        assert.equal(panel.engine.gpuBackendProblem, result.gpuBackendProblem);

        assert.equal((await runCommand<{removed: boolean}>("conpet.disableGpuAcceleration")).removed, true);
        status = await getTestStatus();
        assert.equal(status.gpuBackend.state, "none");
        assert.equal(status.modelInfo?.gpuBackendProblem, undefined);
        await waitForPanelState((state) => state.engine.installedGpuBackend === null && state.engine.gpuBackendProblem === null);
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    });
});
