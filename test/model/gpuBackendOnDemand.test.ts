/**
 * The GPU backend installed on demand, end to end on real parts: node-llama-cpp's Vulkan package (repacked from
 * node_modules into an npm tarball and served by a registry-shaped server on 127.0.0.1) installed by
 * `installGpuBackend`, then the real engine process and the real trainer started with the environment the
 * extension and the CLI give them. Where no Vulkan driver is found (this CI machine) the engine must keep working
 * on the CPU and say why; on a machine with one, the same test expects every layer offloaded.
 */
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import {mkdtemp, readdir, readFile, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {after, before, describe, test} from "node:test";
import {create} from "tar";
import {getGpuBackendEnvironment, trainerBackendDirsEnvVar, type GpuBackendLocation} from "../../src/gpuBackend/getGpuBackendEnvironment";
import {getPlatformKey} from "../../src/gpuBackend/gpuBackendPackages";
import {installGpuBackend, removeGpuBackend} from "../../src/gpuBackend/installGpuBackend";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import type {EngineClient} from "../../src/engine/client/EngineClient";
import {getIntegrity, startFixtureRegistry, type FixtureRegistry} from "../utils/fixtureRegistry";
import {createTestEngineClient, getTestLoadParams, repositoryRoot} from "./engineTestClient";
import {createSmallTrainJob} from "./trainerTestHelpers";

const packageName = "@node-llama-cpp/linux-x64-vulkan";
const packageDirectory = path.join(repositoryRoot, "node_modules", packageName);
const skip = getPlatformKey() !== "linux-x64" || !existsSync(packageDirectory) ? "needs linux-x64 with node-llama-cpp's Vulkan package in node_modules" : false;

describe("a GPU backend installed on demand, on the real engine and trainer", {skip}, () => {
    let root = "";
    let location: GpuBackendLocation;
    let registry: FixtureRegistry | undefined;
    let engine: EngineClient | undefined;
    const engineLog: string[] = [];

    before(async () => {
        root = await mkdtemp(path.join(os.tmpdir(), "conpet-gpu-on-demand-"));
        const tarballPath = path.join(root, "vulkan.tgz");
        // The package's own files under `package/`, as npm publishes it (level 1: 81 MB of libraries in seconds).
        await create({gzip: {level: 1}, cwd: packageDirectory, prefix: "package", file: tarballPath, portable: true}, await readdir(packageDirectory));
        const tarball = await readFile(tarballPath);
        const {version} = JSON.parse(await readFile(path.join(packageDirectory, "package.json"), "utf8")) as {version: string};
        const pinsPath = path.join(root, "gpu-backends.json");
        const pins = {nodeLlamaCppVersion: version, packages: {[packageName]: {name: packageName, version, integrity: getIntegrity(tarball)}}};
        await writeFile(pinsPath, JSON.stringify(pins));
        location = {root: path.join(root, "gpu-backend"), pinsPath};
        registry = await startFixtureRegistry([{name: packageName, version, tarball}]);
        await installGpuBackend({root: location.root, kind: "vulkan", pins, registry: registry.url});
        await rm(tarballPath);
        engine = createTestEngineClient({env: () => getGpuBackendEnvironment(location), onLog: (_level, message) => engineLog.push(message)});
    });

    after(async () => {
        engine?.dispose();
        await registry?.close();
        await rm(root, {recursive: true, force: true});
    });

    test("the engine loads the installed Vulkan backend, or runs on the CPU and says why; removing it clears that", async () => {
        const {gpus} = await engine!.detectGpus();
        for (const gpu of gpus)
            assert.ok(["cuda", "vulkan", "metal"].includes(gpu), gpu);
        const info = await engine!.load(getTestLoadParams({gpuLayers: "max"}));
        if (gpus.includes("vulkan")) {
            assert.equal(info.backend, "vulkan");
            assert.equal(info.gpuLayers, info.layers);
            assert.equal(info.gpuBackendProblem, undefined);
        } else {
            assert.equal(info.backend, "cpu");
            assert.equal(info.gpuLayers, 0);
            assert.match(info.gpuBackendProblem ?? "", /^The installed Vulkan backend could not be loaded: no Vulkan driver \(libvulkan\) was found on this machine\. The model runs on the CPU; "ConPET: Disable GPU Acceleration" \(conpet gpu remove\) removes the backend\.$/);
            assert.ok(engineLog.some((line) => line === info.gpuBackendProblem), "the reason is also in the engine's log");
        }
        const {logProbs} = await engine!.score({items: [{prompt: "Once upon a time", completions: [" there", " the"]}]});
        assert.ok(logProbs[0]!.every(Number.isFinite), "the model answers on whichever backend it got");

        assert.equal(await removeGpuBackend(location.root), true);
        await engine!.restart();
        const after = await engine!.info();
        assert.equal(after?.modelPath, info.modelPath, "the restarted engine reloaded the model");
        assert.equal(after?.gpuBackendProblem, undefined);
        assert.equal(after?.backend, gpus.includes("vulkan") ? info.backend : "cpu");
    });

    test("the trainer is handed the same backend's libraries and trains (on the CPU where it cannot load them)", async () => {
        const registryUrl = registry!.url;
        const pins = JSON.parse(await readFile(location.pinsPath, "utf8")) as Parameters<typeof installGpuBackend>[0]["pins"];
        const installed = await installGpuBackend({root: location.root, kind: "vulkan", pins, registry: registryUrl});
        const environment = getGpuBackendEnvironment(location);
        assert.deepEqual(environment[trainerBackendDirsEnvVar]?.split(path.delimiter), installed.libraryDirectories);
        const stderr: string[] = [];
        const trainer = new TrainerClient({env: () => ({...getGpuBackendEnvironment(location), CONPET_TRAIN_VERBOSE: "1"}), onLog: (text) => stderr.push(text)});
        try {
            const done = await trainer.train(createSmallTrainJob(path.join(root, "adapter.gguf"), {gpuLayers: "auto"}));
            const library = path.join(installed.libraryDirectories[0]!, "libggml-vulkan.so");
            const log = stderr.join("");
            if (done.backend === "cpu")
                assert.match(log, new RegExp(`skipping ${library.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: libvulkan\\.so\\.1`), "the trainer probed the installed library");
            else
                assert.equal(done.backend, "vulkan");
            assert.ok(existsSync(path.join(root, "adapter.gguf")));
        } finally {
            trainer.dispose();
        }
    });
});
