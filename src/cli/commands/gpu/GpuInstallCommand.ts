import {EngineClient} from "../../../engine/client/EngineClient";
import {resolveEngineEntryPath} from "../../../engine/client/resolveEngineEntryPath";
import {getInstallableGpuBackendKinds, getPlatformKey, pickGpuBackendKind} from "../../../gpuBackend/gpuBackendPackages";
import {installGpuBackend, type GpuBackendInstallProgress} from "../../../gpuBackend/installGpuBackend";
import {readPinnedBackendPackages} from "../../../gpuBackend/readPinnedBackendPackages";
import {resolveNpmRegistry} from "../../../gpuBackend/resolveNpmRegistry";
import {ConpetError} from "../../../vocabulary/errors";
import {isGpuBackendKind, type GpuBackendKind} from "../../../vocabulary/gpuBackend";
import type {CliCommand, CliContext} from "../../CliCommand";
import {UsageError} from "../../UsageError";
import {findDistFile} from "../../utils/findDistFile";
import {getGpuBackendLocation} from "../../utils/getGpuBackendLocation";
import {getPositionals, getStringOption} from "../../utils/optionValues";

export type GpuInstallCommand = {
    /** Without it: the one `pickGpuBackendKind` picks for the GPUs found. */
    kind?: GpuBackendKind;
    registry?: string;
};

export const GpuInstallCommand: CliCommand<GpuInstallCommand> = {
    command: ["gpu", "install"],
    description: "Download node-llama-cpp's prebuilt CUDA or Vulkan backend (the version this build pins, checked against its sha512) so that the engine and the trainer run on the GPU; the only network use besides model downloads.",
    options: {
        backend: {type: "string", valueName: "cuda|vulkan", description: "The backend to install. Defaults to CUDA where an NVIDIA driver and a CUDA runtime are found, else Vulkan where a Vulkan driver is."},
        registry: {type: "string", valueName: "URL", description: "The npm registry (a mirror). Defaults to $CONPET_NPM_REGISTRY, npm's configured registry (~/.npmrc), or registry.npmjs.org."}
    },
    parse(values, positionals) {
        getPositionals(positionals, []);
        const kind = getStringOption(values, "backend");
        if (kind !== undefined && !isGpuBackendKind(kind))
            throw new UsageError(`--backend must be cuda or vulkan, not ${JSON.stringify(kind)}.`);
        return {kind, registry: getStringOption(values, "registry")};
    },
    async run(args, context) {
        const location = getGpuBackendLocation(context);
        const kind = args.kind ?? await detectBackendKind();
        const registry = resolveNpmRegistry({registry: args.registry});
        context.log(`Installing the ${kind} backend from ${registry} into ${location.root}`);
        const started = Date.now();
        const installed = await installGpuBackend({
            root: location.root,
            kind,
            pins: readPinnedBackendPackages(location.pinsPath),
            registry,
            signal: context.signal,
            onProgress: createProgressLog(context)
        });
        const seconds = (Date.now() - started) / 1000;
        context.print(context.json
            ? JSON.stringify({...installed, registry, seconds})
            : `Installed the ${kind} backend (${(installed.bytes / 2 ** 20).toFixed(1)} MiB unpacked) in ${installed.directory} in ${seconds.toFixed(1)} s. The engine and the trainer use it from their next start; "conpet info --model FILE" shows the backend the model runs on.`);
    }
};

async function detectBackendKind(): Promise<GpuBackendKind> {
    const engine = new EngineClient({entryPath: findDistFile(resolveEngineEntryPath)});
    try {
        const {gpus} = await engine.detectGpus();
        const kind = pickGpuBackendKind(gpus);
        if (kind === undefined) {
            const installable = getInstallableGpuBackendKinds();
            throw new ConpetError("GPU_BACKEND_UNAVAILABLE", installable.length === 0
                ? `node-llama-cpp publishes no GPU backend to download for ${getPlatformKey()}${gpus.includes("metal") ? " (Metal is built in)" : ""}.`
                : `No GPU driver was found (${gpus.length === 0 ? "neither an NVIDIA driver with a CUDA runtime nor a Vulkan driver" : `only ${gpus.join(", ")}`}). Pass --backend ${installable.join(" or --backend ")} to install one anyway.`);
        }
        return kind;
    } finally {
        engine.dispose();
    }
}

/** One line per tenth of each package, on stderr. */
function createProgressLog(context: CliContext): (progress: GpuBackendInstallProgress) => void {
    let lastTenth = -1;
    let lastName = "";
    return ({phase, name, packageIndex, packageCount, receivedBytes, totalBytes}) => {
        if (name !== lastName) {
            lastName = name;
            lastTenth = -1;
        }
        if (phase === "unpack") {
            context.log(`${name} (${packageIndex + 1}/${packageCount}): verified, unpacking`);
            return;
        }
        const tenth = totalBytes > 0 ? Math.floor((receivedBytes / totalBytes) * 10) : 0;
        if (tenth !== lastTenth) {
            lastTenth = tenth;
            context.log(`${name} (${packageIndex + 1}/${packageCount}): ${tenth * 10}% of ${totalBytes > 0 ? `${(totalBytes / 2 ** 20).toFixed(1)} MiB` : "?"}`);
        }
    };
}
