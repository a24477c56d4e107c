import {existsSync, readFileSync} from "node:fs";
import path from "node:path";
import {isGpuBackendKind, type GpuBackendKind} from "../vocabulary/gpuBackend";
import {getPlatformKey} from "./gpuBackendPackages";
import type {PinnedBackendPackages} from "./readPinnedBackendPackages";

/**
 * Layout under the backend folder (the extension's global storage `gpu-backend/`, or the CLI's):
 * `installed/` is the one backend in use, renamed into place whole (so it is complete or absent), holding
 * `backend.json` and one folder per unpacked package; `.work-<pid>-*` and `.old-<pid>-*` are an install or a
 * removal in progress (or left by a killed process, and removed by the next install).
 */
export const installedDirectoryName = "installed";
export const manifestFileName = "backend.json";

/** `backend.json`: what was installed, for which node-llama-cpp and platform. Paths are relative to `installed/`. */
export type GpuBackendManifest = {
    format: 1;
    kind: GpuBackendKind;
    /** `linux-x64`, `win32-x64`. */
    platform: string;
    nodeLlamaCppVersion: string;
    packages: {name: string; version: string; integrity: string; directory: string}[];
    /** Folders holding `ggml-cuda` / `ggml-vulkan` libraries: what the trainer loads (`CONPET_GGML_BACKEND_DIRS`). */
    libraryDirectories: string[];
    /** Unpacked size. */
    bytes: number;
    /** ISO 8601. */
    installedAt: string;
};

export type InstalledGpuBackend =
    | {state: "none"}
    | {
        state: "installed";
        kind: GpuBackendKind;
        directory: string;
        /** Package name → absolute folder (`GpuBackendSelection.packageDirectories`). */
        packageDirectories: Record<string, string>;
        libraryDirectories: string[];
        bytes: number;
        installedAt: string;
    }
    /** Present but not usable by this build (another node-llama-cpp version or platform, or damaged): enable it again. */
    | {state: "unusable"; kind?: GpuBackendKind; directory: string; reason: string};

/** Synchronous (two small files), so an engine or trainer start can call it: the backend may change between starts. */
export function readInstalledGpuBackend(root: string, pins: PinnedBackendPackages, platformKey: string = getPlatformKey()): InstalledGpuBackend {
    const directory = path.join(root, installedDirectoryName);
    let manifest: Partial<GpuBackendManifest>;
    try {
        manifest = JSON.parse(readFileSync(path.join(directory, manifestFileName), "utf8")) as Partial<GpuBackendManifest>;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT" && !existsSync(directory))
            return {state: "none"};
        return {state: "unusable", directory, reason: `its ${manifestFileName} is missing or unreadable`};
    }
    const kind = isGpuBackendKind(manifest.kind) ? manifest.kind : undefined;
    const unusable = (reason: string): InstalledGpuBackend => ({state: "unusable", ...(kind === undefined ? {} : {kind}), directory, reason});
    if (manifest.format !== 1 || kind === undefined || !Array.isArray(manifest.packages) || !Array.isArray(manifest.libraryDirectories))
        return unusable(`its ${manifestFileName} is not one this version of ConPET wrote`);
    if (manifest.platform !== platformKey)
        return unusable(`it was installed for ${String(manifest.platform)}, this is ${platformKey}`);
    if (manifest.nodeLlamaCppVersion !== pins.nodeLlamaCppVersion)
        return unusable(`it was installed for node-llama-cpp ${String(manifest.nodeLlamaCppVersion)}, this version of ConPET runs ${pins.nodeLlamaCppVersion}`);
    const packageDirectories: Record<string, string> = {};
    for (const entry of manifest.packages) {
        const packageDirectory = path.join(directory, entry.directory);
        if (!existsSync(path.join(packageDirectory, "package.json")))
            return unusable(`${entry.name} is missing from ${directory}`);
        packageDirectories[entry.name] = packageDirectory;
    }
    return {
        state: "installed",
        kind,
        directory,
        packageDirectories,
        libraryDirectories: manifest.libraryDirectories.map((relative) => path.join(directory, relative)),
        bytes: typeof manifest.bytes === "number" ? manifest.bytes : 0,
        installedAt: typeof manifest.installedAt === "string" ? manifest.installedAt : ""
    };
}
