import {mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile} from "node:fs/promises";
import path from "node:path";
import {extract} from "tar";
import {CancelledError, ConpetError} from "../vocabulary/errors";
import type {GpuBackendKind} from "../vocabulary/gpuBackend";
import {downloadPackageTarball} from "./downloadPackageTarball";
import {getGpuBackendPackageNames, getPlatformKey} from "./gpuBackendPackages";
import {installedDirectoryName, manifestFileName, readInstalledGpuBackend, type GpuBackendManifest, type InstalledGpuBackend} from "./readInstalledGpuBackend";
import type {PinnedBackendPackages, PinnedPackage} from "./readPinnedBackendPackages";

export type GpuBackendInstallProgress = {
    phase: "download" | "unpack";
    /** The package being downloaded or unpacked, and its place among the backend's packages. */
    name: string;
    packageIndex: number;
    packageCount: number;
    receivedBytes: number;
    /** 0 until the server says. */
    totalBytes: number;
};

export type InstallGpuBackendOptions = {
    /** The backend folder (see `readInstalledGpuBackend`); created if missing. */
    root: string;
    kind: GpuBackendKind;
    pins: PinnedBackendPackages;
    /** With a trailing slash (`resolveNpmRegistry`). */
    registry: string;
    /** Defaults to this machine's (`getPlatformKey()`). */
    platformKey?: string;
    signal?: AbortSignal;
    onProgress?: (progress: GpuBackendInstallProgress) => void;
    /**
     * Called once everything is downloaded, verified and unpacked, right before the new backend replaces the old:
     * the place to stop what runs on the old one (on Windows a loaded library cannot be moved). Defaults to none.
     */
    beforeReplace?: () => Promise<void>;
};

/**
 * Downloads node-llama-cpp's prebuilt packages of one backend at the versions this build pins, checks each
 * against its pinned sha512, unpacks them into a work folder beside `installed/` and renames that into place,
 * replacing any backend installed before: `installed/` is always a whole backend or absent. Any failure (network,
 * a wrong hash, a download cut short, a cancel) removes the work folder and leaves what was there untouched.
 * Whatever runs on the backend must be stopped first (on Windows a loaded library cannot be replaced).
 */
export async function installGpuBackend({root, kind, pins, registry, platformKey = getPlatformKey(), signal, onProgress, beforeReplace}: InstallGpuBackendOptions): Promise<InstalledGpuBackend & {state: "installed"}> {
    const names = getGpuBackendPackageNames(kind, platformKey);
    if (names.length === 0)
        throw new ConpetError("GPU_BACKEND_UNAVAILABLE", `node-llama-cpp publishes no prebuilt ${kind === "cuda" ? "CUDA" : "Vulkan"} backend for ${platformKey}.`, {data: {kind, platform: platformKey}});
    const packages = names.map((name) => {
        const pinned = pins.packages[name];
        if (pinned === undefined || pinned.version !== pins.nodeLlamaCppVersion)
            throw new ConpetError("GPU_BACKEND_UNAVAILABLE", `${name}@${pins.nodeLlamaCppVersion} is not pinned in this build's package-lock.json, so it cannot be verified.`, {data: {package: name}});
        return pinned;
    });

    await mkdir(root, {recursive: true});
    await removeLeftovers(root);
    const work = await mkdtemp(path.join(root, `.work-${process.pid}-`));
    try {
        const backend = path.join(work, "backend");
        const manifestPackages: GpuBackendManifest["packages"] = [];
        for (const [packageIndex, pinned] of packages.entries()) {
            const report = (phase: GpuBackendInstallProgress["phase"], receivedBytes: number, totalBytes: number): void => {
                try {
                    onProgress?.({phase, name: pinned.name, packageIndex, packageCount: packages.length, receivedBytes, totalBytes});
                } catch {
                    // A broken progress listener must not break the install.
                }
            };
            const tarball = path.join(work, `${packageIndex}.tgz`);
            await downloadPackageTarball({registry, pinned, destination: tarball, ...(signal === undefined ? {} : {signal}), onProgress: (received, total) => report("download", received, total)});
            throwIfAborted(signal);
            const size = (await stat(tarball)).size;
            report("unpack", size, size);
            const directory = pinned.name.slice(pinned.name.indexOf("/") + 1);
            await unpackTarball(tarball, path.join(backend, directory), pinned);
            await rm(tarball, {force: true});
            manifestPackages.push({name: pinned.name, version: pinned.version, integrity: pinned.integrity, directory});
        }
        throwIfAborted(signal);
        const files = await listFiles(backend);
        const manifest: GpuBackendManifest = {
            format: 1,
            kind,
            platform: platformKey,
            nodeLlamaCppVersion: pins.nodeLlamaCppVersion,
            packages: manifestPackages,
            libraryDirectories: findBackendLibraryDirectories(files, kind),
            bytes: files.reduce((sum, file) => sum + file.bytes, 0),
            installedAt: new Date().toISOString()
        };
        await writeFile(path.join(backend, manifestFileName), `${JSON.stringify(manifest, null, 2)}\n`);
        await beforeReplace?.();
        await swapIntoPlace(root, backend);
    } finally {
        await rm(work, {recursive: true, force: true, maxRetries: 3});
    }
    const installed = readInstalledGpuBackend(root, pins, platformKey);
    if (installed.state !== "installed")
        throw new ConpetError("INTERNAL", `The GPU backend was unpacked but cannot be read back: ${installed.state === "unusable" ? installed.reason : "it is gone"}.`);
    return installed;
}

/** Removes the installed backend (renamed aside first, so no reader ever sees half of it). `false` if there was none. */
export async function removeGpuBackend(root: string): Promise<boolean> {
    const installed = path.join(root, installedDirectoryName);
    const aside = path.join(root, `.old-${process.pid}-${Date.now().toString(36)}`);
    try {
        await rename(installed, aside);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT")
            return false;
        throw err;
    }
    await rm(aside, {recursive: true, force: true, maxRetries: 3});
    return true;
}

async function unpackTarball(tarball: string, destination: string, pinned: PinnedPackage): Promise<void> {
    await mkdir(destination, {recursive: true});
    // npm tarballs hold `package/…`; node-tar refuses absolute paths and `..`, and the filter keeps plain files
    // and folders only (no links, devices or FIFOs), so nothing lands outside `destination`.
    await extract({file: tarball, cwd: destination, strip: 1, strict: true, filter: (_path, entry) => "type" in entry && (entry.type === "File" || entry.type === "Directory")});
    const manifest = JSON.parse(await readFile(path.join(destination, "package.json"), "utf8")) as {name?: unknown; version?: unknown};
    if (manifest.name !== pinned.name || manifest.version !== pinned.version)
        throw new ConpetError("INTEGRITY_MISMATCH", `The tarball of ${pinned.name}@${pinned.version} holds ${String(manifest.name)}@${String(manifest.version)}.`, {data: {package: pinned.name}});
}

/** Folders (relative to the backend's folder) holding its ggml library: `libggml-vulkan.so`, `ggml-cuda.dll`, … */
function findBackendLibraryDirectories(files: readonly UnpackedFile[], kind: GpuBackendKind): string[] {
    const library = new RegExp(`^(lib)?ggml-${kind}\\.(so|dll|dylib)$`);
    const found = new Set(files.filter((file) => library.test(path.basename(file.relativePath))).map((file) => path.dirname(file.relativePath)));
    // node-llama-cpp's order: the package's own folder before `-ext`'s `fallback/`.
    return [...found].sort((a, b) => Number(a.includes("fallback")) - Number(b.includes("fallback")) || a.localeCompare(b));
}

type UnpackedFile = {relativePath: string; bytes: number};

/** Every file under `directory` (Node 20.9, VS Code 1.90's, lacks `Dirent.parentPath` for a recursive readdir). */
async function listFiles(directory: string, relative = ""): Promise<UnpackedFile[]> {
    const files: UnpackedFile[] = [];
    for (const entry of await readdir(path.join(directory, relative), {withFileTypes: true})) {
        const relativePath = path.join(relative, entry.name);
        if (entry.isDirectory())
            files.push(...await listFiles(directory, relativePath));
        else if (entry.isFile())
            files.push({relativePath, bytes: (await stat(path.join(directory, relativePath))).size});
    }
    return files;
}

/** `installed/` → `.old-*`, the new backend → `installed/`, then the old one is deleted; a failed second rename puts the old one back. */
async function swapIntoPlace(root: string, backend: string): Promise<void> {
    const installed = path.join(root, installedDirectoryName);
    const aside = path.join(root, `.old-${process.pid}-${Date.now().toString(36)}`);
    let movedAside = false;
    try {
        await rename(installed, aside);
        movedAside = true;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT")
            throw err;
    }
    try {
        await rename(backend, installed);
    } catch (err) {
        if (movedAside)
            await rename(aside, installed).catch(() => undefined);
        throw err;
    }
    if (movedAside)
        await rm(aside, {recursive: true, force: true, maxRetries: 3});
}

/** `.work-<pid>-*` and `.old-<pid>-*` of processes that no longer run (a kill in the middle of an install). */
async function removeLeftovers(root: string): Promise<void> {
    for (const name of await readdir(root)) {
        const pid = /^\.(work|old)-(\d+)-/.exec(name)?.[2];
        if (pid !== undefined && !isProcessAlive(Number(pid)))
            await rm(path.join(root, name), {recursive: true, force: true, maxRetries: 3}).catch(() => undefined);
    }
}

function isProcessAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return (err as NodeJS.ErrnoException).code === "EPERM";
    }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted)
        throw new CancelledError("The GPU backend download was cancelled; nothing was installed.");
}
