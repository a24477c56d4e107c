import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import {randomBytes} from "node:crypto";
import {mkdtemp, readdir, readFile, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {after, afterEach, before, describe, test} from "node:test";
import {getGpuBackendEnvironment, trainerBackendDirsEnvVar} from "../../../src/gpuBackend/getGpuBackendEnvironment";
import {installGpuBackend, removeGpuBackend, type GpuBackendInstallProgress} from "../../../src/gpuBackend/installGpuBackend";
import {readInstalledGpuBackend} from "../../../src/gpuBackend/readInstalledGpuBackend";
import type {PinnedBackendPackages} from "../../../src/gpuBackend/readPinnedBackendPackages";
import {ConpetError} from "../../../src/vocabulary/errors";
import {gpuBackendEnvVar, parseGpuBackendSelection} from "../../../src/vocabulary/gpuBackend";
import {buildPackageTarball, getIntegrity, startFixtureRegistry, type FixturePackage, type FixtureRegistry} from "../../utils/fixtureRegistry";

const version = "3.21.1";
const vulkan = "@node-llama-cpp/linux-x64-vulkan";
const cuda = "@node-llama-cpp/linux-x64-cuda";
const cudaExt = "@node-llama-cpp/linux-x64-cuda-ext";

/** A package shaped like node-llama-cpp's (its `dist/index.js` and the backend library under `bins/`), small. */
function buildBackendPackage(name: string, library: string, extra: Record<string, string> = {}): Promise<Buffer> {
    return buildPackageTarball(name, version, {
        "dist/index.js": "export function getBinsDir() { return {}; }\n",
        [library]: `not really ${path.basename(library)}`,
        ...extra
    });
}

function pinsFor(...fixtures: {name: string; tarball: Buffer}[]): PinnedBackendPackages {
    return {nodeLlamaCppVersion: version, packages: Object.fromEntries(fixtures.map(({name, tarball}) => [name, {name, version, integrity: getIntegrity(tarball)}]))};
}

describe("GPU backend install from a registry-shaped server on 127.0.0.1", () => {
    let root = "";
    let vulkanTarball: Buffer = Buffer.alloc(0);
    const registries: FixtureRegistry[] = [];
    const serve = async (...packages: FixturePackage[]) => {
        const registry = await startFixtureRegistry(packages);
        registries.push(registry);
        return registry;
    };

    before(async () => {
        vulkanTarball = await buildBackendPackage(vulkan, "bins/linux-x64-vulkan/libggml-vulkan.so", {"bins/linux-x64-vulkan/llama-addon.node": "addon"});
        root = await mkdtemp(path.join(os.tmpdir(), "conpet-gpu-backend-"));
    });
    afterEach(async () => {
        await Promise.all(registries.splice(0).map((registry) => registry.close()));
        await rm(root, {recursive: true, force: true});
        root = await mkdtemp(path.join(os.tmpdir(), "conpet-gpu-backend-"));
    });
    after(async () => {
        await rm(root, {recursive: true, force: true});
    });

    const leftovers = async () => (await readdir(root)).filter((name) => name !== "installed");

    test("the right tarball is verified, unpacked into installed/ and handed to the engine and the trainer", async () => {
        const registry = await serve({name: vulkan, version, tarball: vulkanTarball});
        const progress: GpuBackendInstallProgress[] = [];
        const installed = await installGpuBackend({root, kind: "vulkan", pins: pinsFor({name: vulkan, tarball: vulkanTarball}), registry: registry.url, platformKey: "linux-x64", onProgress: (event) => progress.push(event)});

        assert.equal(installed.kind, "vulkan");
        const packageDirectory = path.join(root, "installed", "linux-x64-vulkan");
        assert.deepEqual(installed.packageDirectories, {[vulkan]: packageDirectory});
        assert.equal(JSON.parse(await readFile(path.join(packageDirectory, "package.json"), "utf8")).name, vulkan);
        assert.equal(await readFile(path.join(packageDirectory, "dist", "index.js"), "utf8"), "export function getBinsDir() { return {}; }\n");
        assert.deepEqual(installed.libraryDirectories, [path.join(packageDirectory, "bins", "linux-x64-vulkan")]);
        assert.ok(installed.bytes > 0);
        assert.deepEqual(registry.requests, ["/@node-llama-cpp%2flinux-x64-vulkan/3.21.1", "/tarballs/_node-llama-cpp_linux-x64-vulkan-3.21.1.tgz"]);
        assert.equal(progress.at(-1)?.phase, "unpack");
        assert.equal(progress.filter((event) => event.phase === "download").at(-1)?.receivedBytes, vulkanTarball.length);
        assert.deepEqual(await leftovers(), [], "no work folder is left behind");

        const pinsPath = path.join(root, "pins.json");
        await writeFile(pinsPath, JSON.stringify(pinsFor({name: vulkan, tarball: vulkanTarball})));
        const environment = getGpuBackendEnvironment({root, pinsPath});
        assert.deepEqual(parseGpuBackendSelection(environment[gpuBackendEnvVar]), {kind: "vulkan", packageDirectories: {[vulkan]: packageDirectory}});
        assert.equal(environment[trainerBackendDirsEnvVar], path.join(packageDirectory, "bins", "linux-x64-vulkan"));
    });

    test("a tarball that does not match the pinned sha512 is rejected and nothing is installed", async () => {
        const other = await buildBackendPackage(vulkan, "bins/linux-x64-vulkan/libggml-vulkan.so", {"bins/linux-x64-vulkan/evil.so": "changed"});
        // The registry's own document agrees with the bytes it serves; only the pin tells them apart.
        const registry = await serve({name: vulkan, version, tarball: other});
        await assert.rejects(
            installGpuBackend({root, kind: "vulkan", pins: pinsFor({name: vulkan, tarball: vulkanTarball}), registry: registry.url, platformKey: "linux-x64"}),
            (err: unknown) => ConpetError.is(err, "INTEGRITY_MISMATCH") && /offers a different @node-llama-cpp\/linux-x64-vulkan@3\.21\.1/.test(err.message)
        );
        assert.equal(registry.requests.length, 1, "a document that already disagrees with the pin stops before the download");

        const silent = await serve({name: vulkan, version, tarball: other, documentIntegrity: null});
        await assert.rejects(
            installGpuBackend({root, kind: "vulkan", pins: pinsFor({name: vulkan, tarball: vulkanTarball}), registry: silent.url, platformKey: "linux-x64"}),
            (err: unknown) => ConpetError.is(err, "INTEGRITY_MISMATCH") && /does not match the sha512 pinned in this build/.test(err.message) && /nothing was installed/.test(err.message)
        );
        assert.equal(silent.requests.length, 2, "without a claim in the document the tarball is downloaded, then rejected");
        assert.deepEqual(readInstalledGpuBackend(root, pinsFor({name: vulkan, tarball: vulkanTarball}), "linux-x64"), {state: "none"});
        assert.deepEqual(await leftovers(), []);
    });

    test("a download cut short fails with the bytes received and keeps the backend installed before", async () => {
        const good = await serve({name: vulkan, version, tarball: vulkanTarball});
        const pins = pinsFor({name: vulkan, tarball: vulkanTarball});
        const before = await installGpuBackend({root, kind: "vulkan", pins, registry: good.url, platformKey: "linux-x64"});

        const cut = await serve({name: vulkan, version, tarball: vulkanTarball, delivery: "cut-short"});
        await assert.rejects(
            installGpuBackend({root, kind: "vulkan", pins, registry: cut.url, platformKey: "linux-x64"}),
            (err: unknown) => ConpetError.is(err, "DOWNLOAD_FAILED") && new RegExp(`after ${Math.floor(vulkanTarball.length / 2)} of ${vulkanTarball.length} bytes`).test(err.message)
        );
        const after = readInstalledGpuBackend(root, pins, "linux-x64");
        assert.equal(after.state, "installed");
        assert.equal(after.state === "installed" && after.installedAt, before.installedAt, "the earlier install is untouched");
        assert.deepEqual(await leftovers(), []);
    });

    test("HTTP errors, an unreachable registry and a cancel fail clearly and install nothing", async () => {
        const pins = pinsFor({name: vulkan, tarball: vulkanTarball});
        const empty = await serve();
        await assert.rejects(installGpuBackend({root, kind: "vulkan", pins, registry: empty.url, platformKey: "linux-x64"}),
            (err: unknown) => ConpetError.is(err, "DOWNLOAD_FAILED") && /answered HTTP 404/.test(err.message));

        const closed = await serve();
        const closedUrl = closed.url;
        await closed.close();
        registries.pop();
        await assert.rejects(installGpuBackend({root, kind: "vulkan", pins, registry: closedUrl, platformKey: "linux-x64"}),
            (err: unknown) => ConpetError.is(err, "DOWNLOAD_FAILED") && /Could not reach/.test(err.message) && /ECONNREFUSED/.test(err.message));

        // Incompressible, so the slow server needs a dozen chunks and the cancel lands in the middle.
        const big = await buildBackendPackage(vulkan, "bins/linux-x64-vulkan/libggml-vulkan.so", {"bins/linux-x64-vulkan/blob.so": randomBytes(600_000).toString("base64")});
        const slow = await serve({name: vulkan, version, tarball: big, delivery: "slow"});
        const controller = new AbortController();
        await assert.rejects(
            installGpuBackend({root, kind: "vulkan", pins: pinsFor({name: vulkan, tarball: big}), registry: slow.url, platformKey: "linux-x64", signal: controller.signal, onProgress: () => controller.abort()}),
            (err: unknown) => ConpetError.is(err, "CANCELLED") && /nothing was installed/.test(err.message)
        );
        assert.deepEqual(readInstalledGpuBackend(root, pins, "linux-x64"), {state: "none"});
        assert.deepEqual(await leftovers(), []);
    });

    test("CUDA installs both of node-llama-cpp's packages; links in a tarball are not unpacked", async () => {
        const main = await buildPackageTarball(cuda, version, {"dist/index.js": "", "bins/linux-x64-cuda/libggml-cuda.so": "13"}, {"bins/linux-x64-cuda/escape": "/etc/passwd"});
        const ext = await buildBackendPackage(cudaExt, "bins/linux-x64-cuda/fallback/libggml-cuda.so");
        const registry = await serve({name: cuda, version, tarball: main}, {name: cudaExt, version, tarball: ext});
        const installed = await installGpuBackend({root, kind: "cuda", pins: pinsFor({name: cuda, tarball: main}, {name: cudaExt, tarball: ext}), registry: registry.url, platformKey: "linux-x64"});
        assert.deepEqual(Object.keys(installed.packageDirectories), [cuda, cudaExt]);
        assert.deepEqual(installed.libraryDirectories, [
            path.join(root, "installed", "linux-x64-cuda", "bins", "linux-x64-cuda"),
            path.join(root, "installed", "linux-x64-cuda-ext", "bins", "linux-x64-cuda", "fallback")
        ], "the CUDA 13 build before -ext's CUDA 12 fallback, as node-llama-cpp loads them");
        assert.equal(existsSync(path.join(root, "installed", "linux-x64-cuda", "bins", "linux-x64-cuda", "escape")), false);
    });

    test("a platform without packages, or a package this build does not pin, is refused before any request", async () => {
        const registry = await serve({name: vulkan, version, tarball: vulkanTarball});
        await assert.rejects(installGpuBackend({root, kind: "vulkan", pins: pinsFor({name: vulkan, tarball: vulkanTarball}), registry: registry.url, platformKey: "darwin-arm64"}),
            (err: unknown) => ConpetError.is(err, "GPU_BACKEND_UNAVAILABLE") && /no prebuilt Vulkan backend for darwin-arm64/.test(err.message));
        await assert.rejects(installGpuBackend({root, kind: "cuda", pins: pinsFor({name: vulkan, tarball: vulkanTarball}), registry: registry.url, platformKey: "linux-x64"}),
            (err: unknown) => ConpetError.is(err, "GPU_BACKEND_UNAVAILABLE") && /linux-x64-cuda@3\.21\.1 is not pinned/.test(err.message));
        assert.deepEqual(registry.requests, []);
    });

    test("remove takes the backend away whole; a backend of another node-llama-cpp version is not used", async () => {
        const registry = await serve({name: vulkan, version, tarball: vulkanTarball});
        const pins = pinsFor({name: vulkan, tarball: vulkanTarball});
        await installGpuBackend({root, kind: "vulkan", pins, registry: registry.url, platformKey: "linux-x64"});

        const upgraded = {...pins, nodeLlamaCppVersion: "3.22.0"};
        const stale = readInstalledGpuBackend(root, upgraded, "linux-x64");
        assert.equal(stale.state, "unusable");
        assert.match(stale.state === "unusable" ? stale.reason : "", /installed for node-llama-cpp 3\.21\.1, this version of ConPET runs 3\.22\.0/);
        const pinsPath = path.join(root, "pins.json");
        await writeFile(pinsPath, JSON.stringify(upgraded));
        const warnings: string[] = [];
        assert.deepEqual(getGpuBackendEnvironment({root, pinsPath}, (message) => warnings.push(message)), {});
        assert.match(warnings.join("\n"), /is not used: .*Enable GPU Acceleration/);

        assert.equal(await removeGpuBackend(root), true);
        assert.deepEqual(readInstalledGpuBackend(root, pins, "linux-x64"), {state: "none"});
        assert.equal(await removeGpuBackend(root), false);
        assert.deepEqual(await readdir(root), ["pins.json"]);
    });
});
