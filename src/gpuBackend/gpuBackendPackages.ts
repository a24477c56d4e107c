import type {GpuBackendKind} from "../vocabulary/gpuBackend";

/**
 * node-llama-cpp's prebuilt GPU packages for each platform, in the order node-llama-cpp consults them. CUDA comes
 * as two packages: the CUDA 13 build and `-cuda-ext`, whose `fallback/` holds the CUDA 12 build that
 * node-llama-cpp loads when the CUDA 13 runtime is missing. macOS needs none (Metal is in `mac-arm64-metal`,
 * which the VSIX ships), and node-llama-cpp publishes no GPU packages for Linux on arm64.
 */
const packagesByPlatform: Record<string, Partial<Record<GpuBackendKind, readonly string[]>>> = {
    "linux-x64": {
        cuda: ["@node-llama-cpp/linux-x64-cuda", "@node-llama-cpp/linux-x64-cuda-ext"],
        vulkan: ["@node-llama-cpp/linux-x64-vulkan"]
    },
    "win32-x64": {
        cuda: ["@node-llama-cpp/win-x64-cuda", "@node-llama-cpp/win-x64-cuda-ext"],
        vulkan: ["@node-llama-cpp/win-x64-vulkan"]
    }
};

/**
 * What the download costs, for the offer before anything is fetched (the tarballs' sizes on registry.npmjs.org for
 * node-llama-cpp 3.21.1; the progress bar shows the real size once the server answers).
 */
const approximateDownloadBytes: Record<string, Partial<Record<GpuBackendKind, number>>> = {
    "linux-x64": {cuda: 142_850_036 + 176_679_086, vulkan: 27_476_121},
    "win32-x64": {cuda: 138_542_727 + 175_417_684, vulkan: 26_619_567}
};

export function getApproximateDownloadBytes(kind: GpuBackendKind, platformKey: string = getPlatformKey()): number | undefined {
    return approximateDownloadBytes[platformKey]?.[kind];
}

/** `linux-x64`, `win32-x64`, `darwin-arm64`: Node's names, as VS Code's targets use them. */
export function getPlatformKey(platform: string = process.platform, arch: string = process.arch): string {
    return `${platform}-${arch}`;
}

/** The packages of one backend on a platform; empty where node-llama-cpp publishes none. */
export function getGpuBackendPackageNames(kind: GpuBackendKind, platformKey: string = getPlatformKey()): readonly string[] {
    return packagesByPlatform[platformKey]?.[kind] ?? [];
}

/** The backends that can be installed on a platform (none on macOS and Linux arm64). */
export function getInstallableGpuBackendKinds(platformKey: string = getPlatformKey()): GpuBackendKind[] {
    return Object.keys(packagesByPlatform[platformKey] ?? {}) as GpuBackendKind[];
}

/**
 * The backend to offer for the GPUs found (`detectGpus`): CUDA where the NVIDIA driver and a CUDA runtime are
 * present (node-llama-cpp's fastest on NVIDIA), else Vulkan where a Vulkan driver is (NVIDIA, AMD, Intel);
 * `undefined` when neither can be installed here.
 */
export function pickGpuBackendKind(detected: readonly string[], platformKey: string = getPlatformKey()): GpuBackendKind | undefined {
    const installable = getInstallableGpuBackendKinds(platformKey);
    return (["cuda", "vulkan"] as const).find((kind) => detected.includes(kind) && installable.includes(kind));
}
