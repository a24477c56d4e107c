import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {describe, test} from "node:test";
import {fileURLToPath} from "node:url";
import {getGpuBackendPackageNames, getInstallableGpuBackendKinds, pickGpuBackendKind} from "../../../src/gpuBackend/gpuBackendPackages";
import {readPinnedBackendPackages} from "../../../src/gpuBackend/readPinnedBackendPackages";
import {defaultNpmRegistry, resolveNpmRegistry} from "../../../src/gpuBackend/resolveNpmRegistry";
import {ConpetError} from "../../../src/vocabulary/errors";
import {gpuBackendKinds, parseGpuBackendSelection} from "../../../src/vocabulary/gpuBackend";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

describe("GPU backend packages and pins", () => {
    test("every package the catalogue installs is pinned in package-lock.json with a sha512, at node-llama-cpp's version", () => {
        const lock = JSON.parse(readFileSync(path.join(repositoryRoot, "package-lock.json"), "utf8")) as {packages: Record<string, {version?: string; integrity?: string}>};
        const nodeLlamaCppVersion = lock.packages["node_modules/node-llama-cpp"]?.version;
        assert.equal(typeof nodeLlamaCppVersion, "string");
        let checked = 0;
        for (const platform of ["linux-x64", "win32-x64", "linux-arm64", "darwin-arm64"])
            for (const kind of gpuBackendKinds)
                for (const name of getGpuBackendPackageNames(kind, platform)) {
                    const entry = lock.packages[`node_modules/${name}`];
                    assert.equal(entry?.version, nodeLlamaCppVersion, `${name} in package-lock.json`);
                    assert.match(entry?.integrity ?? "", /^sha512-/, `${name}'s integrity`);
                    checked++;
                }
        assert.equal(checked, 6, "CUDA (2 packages) and Vulkan on linux-x64 and win32-x64");
    });

    test("what can be installed where, and which backend is offered for the GPUs found", () => {
        assert.deepEqual(getInstallableGpuBackendKinds("linux-x64"), ["cuda", "vulkan"]);
        assert.deepEqual(getInstallableGpuBackendKinds("darwin-arm64"), [], "Metal ships in the macOS package");
        assert.deepEqual(getInstallableGpuBackendKinds("linux-arm64"), []);
        assert.equal(pickGpuBackendKind(["cuda", "vulkan"], "linux-x64"), "cuda");
        assert.equal(pickGpuBackendKind(["vulkan"], "win32-x64"), "vulkan");
        assert.equal(pickGpuBackendKind([], "linux-x64"), undefined);
        assert.equal(pickGpuBackendKind(["metal"], "darwin-arm64"), undefined);
    });

    test("the pins file keeps only entries with a sha512 and says how to recover when it is missing", async () => {
        const directory = await mkdtemp(path.join(os.tmpdir(), "conpet-pins-"));
        try {
            const file = path.join(directory, "gpu-backends.json");
            await writeFile(file, JSON.stringify({nodeLlamaCppVersion: "3.21.1", packages: {"@node-llama-cpp/a": {version: "3.21.1", integrity: "sha512-AAAA"}, "@node-llama-cpp/b": {version: "3.21.1", integrity: "sha1-BBBB"}}}));
            assert.deepEqual(readPinnedBackendPackages(file), {nodeLlamaCppVersion: "3.21.1", packages: {"@node-llama-cpp/a": {name: "@node-llama-cpp/a", version: "3.21.1", integrity: "sha512-AAAA"}}});
            assert.throws(() => readPinnedBackendPackages(path.join(directory, "missing.json")),
                (err: unknown) => ConpetError.is(err, "GPU_BACKEND_UNAVAILABLE") && /reinstall the extension/.test(err.message));
        } finally {
            await rm(directory, {recursive: true, force: true});
        }
    });

    test("the registry: an explicit one, then CONPET_NPM_REGISTRY, npm's environment, ~/.npmrc (scope first), npmjs.org", async () => {
        const home = await mkdtemp(path.join(os.tmpdir(), "conpet-npmrc-"));
        try {
            assert.equal(resolveNpmRegistry({env: {}, homeDirectory: home}), defaultNpmRegistry);
            await writeFile(path.join(home, ".npmrc"), "; a comment\nregistry = \"https://mirror.example/npm\"\nfund=false\n");
            assert.equal(resolveNpmRegistry({env: {}, homeDirectory: home}), "https://mirror.example/npm/");
            await writeFile(path.join(home, ".npmrc"), "registry=https://mirror.example/npm/\n@node-llama-cpp:registry=https://scoped.example/\n");
            assert.equal(resolveNpmRegistry({env: {}, homeDirectory: home}), "https://scoped.example/");
            assert.equal(resolveNpmRegistry({env: {npm_config_registry: "http://127.0.0.1:4873"}, homeDirectory: home}), "http://127.0.0.1:4873/");
            assert.equal(resolveNpmRegistry({env: {CONPET_NPM_REGISTRY: "http://127.0.0.1:9/", npm_config_registry: "http://127.0.0.1:4873"}, homeDirectory: home}), "http://127.0.0.1:9/");
            assert.equal(resolveNpmRegistry({registry: "https://given.example", env: {CONPET_NPM_REGISTRY: "http://127.0.0.1:9/"}, homeDirectory: home}), "https://given.example/");
            assert.throws(() => resolveNpmRegistry({registry: "file:///etc", env: {}, homeDirectory: home}), (err: unknown) => ConpetError.is(err, "INVALID_INPUT") && /http\(s\) URL/.test(err.message));
            assert.throws(() => resolveNpmRegistry({registry: "not a url", env: {}, homeDirectory: home}), (err: unknown) => ConpetError.is(err, "INVALID_INPUT"));
        } finally {
            await rm(home, {recursive: true, force: true});
        }
    });

    test("the engine's backend selection: unset is none, anything malformed is refused with the variable's name", () => {
        assert.equal(parseGpuBackendSelection(undefined), undefined);
        assert.equal(parseGpuBackendSelection(" "), undefined);
        assert.deepEqual(parseGpuBackendSelection('{"kind":"vulkan","packageDirectories":{"@node-llama-cpp/linux-x64-vulkan":"/x"}}'), {kind: "vulkan", packageDirectories: {"@node-llama-cpp/linux-x64-vulkan": "/x"}});
        for (const bad of ["{", '{"kind":"metal","packageDirectories":{"@node-llama-cpp/a":"/x"}}', '{"kind":"cuda","packageDirectories":{}}', '{"kind":"cuda","packageDirectories":{"left-pad":"/x"}}'])
            assert.throws(() => parseGpuBackendSelection(bad), (err: unknown) => ConpetError.is(err, "INVALID_INPUT") && /CONPET_GPU_BACKEND/.test(err.message), bad);
    });
});
