import {existsSync} from "node:fs";
import path from "node:path";
import {gpuBackendEnvVar, type GpuBackendSelection} from "../vocabulary/gpuBackend";
import {installedDirectoryName, readInstalledGpuBackend} from "./readInstalledGpuBackend";
import {readPinnedBackendPackages} from "./readPinnedBackendPackages";

/** Folders the trainer (`native/src/GgmlBackends.cpp`) loads `ggml-cuda` / `ggml-vulkan` from, `path.delimiter`-separated. */
export const trainerBackendDirsEnvVar = "CONPET_GGML_BACKEND_DIRS";

/** Where a front end keeps the backend, and the pins it checks it against. */
export type GpuBackendLocation = {
    /** The backend folder (`<global storage>/gpu-backend`, the CLI's `<store>/gpu-backend`). */
    root: string;
    /** `dist/gpu-backends.json` (`resolvePinnedBackendsPath`). */
    pinsPath: string;
};

/**
 * The environment that makes the engine process and the trainer use the installed backend, read afresh at each
 * call (each engine or trainer start): one backend for inference and training. Empty when none is installed
 * (node-llama-cpp's own choice; the trainer's CPU), and when the installed one is unusable, which `onWarning` says.
 * Never throws: a start must not fail over an optional backend.
 */
export function getGpuBackendEnvironment(location: GpuBackendLocation, onWarning?: (message: string) => void): Record<string, string> {
    if (!existsSync(path.join(location.root, installedDirectoryName)))
        return {};
    try {
        const installed = readInstalledGpuBackend(location.root, readPinnedBackendPackages(location.pinsPath));
        if (installed.state === "unusable")
            onWarning?.(`The GPU backend in ${installed.directory} is not used: ${installed.reason}. Run "ConPET: Enable GPU Acceleration" (conpet gpu install) again.`);
        if (installed.state !== "installed")
            return {};
        const selection: GpuBackendSelection = {kind: installed.kind, packageDirectories: installed.packageDirectories};
        return {
            [gpuBackendEnvVar]: JSON.stringify(selection),
            [trainerBackendDirsEnvVar]: installed.libraryDirectories.join(path.delimiter)
        };
    } catch (err) {
        onWarning?.(`The GPU backend is not used: ${err instanceof Error ? err.message : String(err)}`);
        return {};
    }
}
