/**
 * The GPU backend a user installed on demand (`src/gpuBackend`) and the engine process loads: node-llama-cpp's
 * prebuilt CUDA or Vulkan package, unpacked outside the extension's folder. The extension host and the CLI hand
 * it to the engine in its environment (`gpuBackendEnvVar`, JSON), read once when the engine process starts, so
 * inference and training use the one backend that was installed.
 */
import {InvalidInputError} from "./errors";

/** The backends ConPET installs on demand. Metal needs no download: it is in the macOS package itself. */
export type GpuBackendKind = "cuda" | "vulkan";

export const gpuBackendKinds: readonly GpuBackendKind[] = ["cuda", "vulkan"];

/** Environment variable of the engine process holding a `GpuBackendSelection` as JSON; unset: node-llama-cpp's own choice. */
export const gpuBackendEnvVar = "CONPET_GPU_BACKEND";

export type GpuBackendSelection = {
    kind: GpuBackendKind;
    /** node-llama-cpp's package name (`@node-llama-cpp/linux-x64-vulkan`) → the absolute folder it was unpacked into. */
    packageDirectories: Record<string, string>;
};

export function isGpuBackendKind(value: unknown): value is GpuBackendKind {
    return value === "cuda" || value === "vulkan";
}

/** `undefined` for an unset or empty variable; `INVALID_INPUT` for one that is not a selection. */
export function parseGpuBackendSelection(text: string | undefined): GpuBackendSelection | undefined {
    if (text === undefined || text.trim() === "")
        return undefined;
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new InvalidInputError(`${gpuBackendEnvVar} is not JSON.`);
    }
    if (typeof value !== "object" || value === null)
        throw new InvalidInputError(`${gpuBackendEnvVar} must be an object.`);
    const {kind, packageDirectories} = value as Partial<GpuBackendSelection>;
    if (!isGpuBackendKind(kind))
        throw new InvalidInputError(`${gpuBackendEnvVar}.kind must be "cuda" or "vulkan", not ${JSON.stringify(kind)}.`);
    if (typeof packageDirectories !== "object" || packageDirectories === null || Object.keys(packageDirectories).length === 0)
        throw new InvalidInputError(`${gpuBackendEnvVar}.packageDirectories must name at least one package.`);
    for (const [name, directory] of Object.entries(packageDirectories))
        if (!name.startsWith("@node-llama-cpp/") || typeof directory !== "string" || directory === "")
            throw new InvalidInputError(`${gpuBackendEnvVar}.packageDirectories has an invalid entry ${JSON.stringify(name)}.`);
    return {kind, packageDirectories: {...packageDirectories}};
}
