/**
 * Creates the `Llama` the engine runs on. Without an installed GPU backend it is node-llama-cpp's own choice
 * (`gpu: "auto"`: Metal on Apple silicon, CUDA or Vulkan when their prebuilt packages sit in node_modules, else
 * the CPU). With one (`GpuBackendSelection`), node-llama-cpp is pointed at the unpacked packages and asked for
 * exactly that backend; when it cannot load it (no driver, a missing runtime), the engine runs on the CPU and
 * says why in `gpuBackendProblem`.
 */
import {register} from "node:module";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {getLlama, getLlamaGpuTypes, LlamaLogLevel, type Llama} from "node-llama-cpp";
import type {GpuBackendKind, GpuBackendSelection} from "../../../vocabulary/gpuBackend";

/** What the engine asks for: the installed backend, node-llama-cpp's choice, or the CPU (`gpuLayers: 0`). */
export type LlamaGpuChoice = GpuBackendKind | "auto" | false;

export type CreateLlamaOptions = {
    gpu: LlamaGpuChoice;
    /** The installed backend's packages; needed when `gpu` is a `GpuBackendKind`. */
    selection?: GpuBackendSelection;
    logger: (level: LlamaLogLevel, message: string) => void;
};

export type CreatedLlama = {llama: Llama; gpuBackendProblem?: string};

const backendLabels: Record<GpuBackendKind, string> = {cuda: "CUDA", vulkan: "Vulkan"};
const missingRuntime: Record<GpuBackendKind, string> = {
    cuda: "no NVIDIA driver with a CUDA 12 or 13 runtime (libcuda, libcudart, libcublas) was found on this machine",
    vulkan: "no Vulkan driver (libvulkan) was found on this machine"
};

/**
 * node-llama-cpp finds its prebuilt packages only with `import("@node-llama-cpp/<name>")` from its own folder.
 * This loader hook answers those imports with the packages unpacked into the extension's storage; every other
 * import resolves as usual. It runs on Node's loader thread, so it is a module of its own (a data: URL).
 */
const resolveHookSource = `
let packages = {};
export function initialize(data) { packages = data.packages; }
export async function resolve(specifier, context, nextResolve) {
    const url = packages[specifier];
    return url === undefined ? nextResolve(specifier, context) : {url, shortCircuit: true};
}`;

/** The selection comes from the environment of this process: one backend, so one registration. */
let hookRegistered = false;

export async function createLlama({gpu, selection, logger}: CreateLlamaOptions): Promise<CreatedLlama> {
    const common = {
        // Never compile llama.cpp on a user's machine from inside the editor (minutes, and it needs a toolchain
        // and network): the prebuilt binaries cover CUDA, Vulkan, Metal and CPU.
        build: "never",
        logLevel: LlamaLogLevel.warn,
        logger
    } as const;
    if (gpu !== "cuda" && gpu !== "vulkan")
        return {llama: await getLlama({...common, gpu})};
    if (selection === undefined || selection.kind !== gpu)
        throw new Error(`createLlama: no installed ${gpu} packages were given`);
    registerPackages(selection);
    try {
        return {llama: await getLlama({...common, gpu})};
    } catch (err) {
        const reason = (await getLlamaGpuTypes("supported")).includes(gpu)
            ? `node-llama-cpp could not load it (${err instanceof Error ? err.message : String(err)}; details in the ConPET log)`
            : missingRuntime[gpu];
        const gpuBackendProblem = `The installed ${backendLabels[gpu]} backend could not be loaded: ${reason}. The model runs on the CPU; "ConPET: Disable GPU Acceleration" (conpet gpu remove) removes the backend.`;
        return {llama: await getLlama({...common, gpu: false}), gpuBackendProblem};
    }
}

function registerPackages(selection: GpuBackendSelection): void {
    if (hookRegistered)
        return;
    const packages = Object.fromEntries(Object.entries(selection.packageDirectories)
        .map(([name, directory]) => [name, pathToFileURL(path.join(directory, "dist", "index.js")).href]));
    register(`data:text/javascript,${encodeURIComponent(resolveHookSource)}`, {data: {packages}});
    hookRegistered = true;
}
