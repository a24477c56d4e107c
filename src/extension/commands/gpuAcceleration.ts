import * as vscode from "vscode";
import {getApproximateDownloadBytes, getInstallableGpuBackendKinds, getPlatformKey, pickGpuBackendKind} from "../../gpuBackend/gpuBackendPackages";
import {installGpuBackend, removeGpuBackend, type GpuBackendInstallProgress} from "../../gpuBackend/installGpuBackend";
import {readPinnedBackendPackages} from "../../gpuBackend/readPinnedBackendPackages";
import {resolveNpmRegistry} from "../../gpuBackend/resolveNpmRegistry";
import {ConpetError} from "../../vocabulary/errors";
import {isGpuBackendKind, type GpuBackendKind} from "../../vocabulary/gpuBackend";
import {commandIds, contextKeys} from "../constants";
import {requireTrust} from "../trust/requireTrust";
import {formatBytes} from "../utils/formatBytes";
import type {CommandDeps} from "./CommandDeps";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";

/** Args for `conpet.enableGpuAcceleration` when called without UI. */
export type EnableGpuAccelerationArgs = {
    /** `cuda` or `vulkan`; without it the user picks (the one for the GPU found comes first). */
    backend?: GpuBackendKind;
    /** An npm registry (a mirror). Defaults to `$CONPET_NPM_REGISTRY`, npm's configured registry, or registry.npmjs.org. */
    registry?: string;
};

export const gpuBackendLabels: Record<GpuBackendKind, string> = {cuda: "CUDA", vulkan: "Vulkan"};
const gpuBackendHardware: Record<GpuBackendKind, string> = {cuda: "NVIDIA, with a CUDA 12 or 13 runtime installed", vulkan: "NVIDIA, AMD or Intel, with a Vulkan driver"};

/**
 * `ConPET: Enable GPU Acceleration…` downloads node-llama-cpp's prebuilt CUDA or Vulkan backend (the version this
 * build pins, checked against package-lock.json's sha512) into the extension's global storage, then restarts the
 * engine on it; the trainer uses it from its next run. `ConPET: Disable GPU Acceleration` removes it. The only
 * network use besides model downloads, and only on request; refused in Restricted Mode.
 */
export function registerGpuAccelerationCommands(deps: CommandDeps): void {
    const {services, output} = deps;
    const updateContext = () => void vscode.commands.executeCommand("setContext", contextKeys.gpuBackendInstalled, services.getInstalledGpuBackend().state !== "none");
    updateContext();

    registerConpetCommand(deps, commandIds.enableGpuAcceleration, async (rawArgs) => {
        const args = getPlainArgs(rawArgs) as EnableGpuAccelerationArgs;
        requireTrust("Enabling GPU acceleration");
        throwIfTraining(deps);
        const platformKey = getPlatformKey();
        if (getInstallableGpuBackendKinds(platformKey).length === 0)
            throw new ConpetError("GPU_BACKEND_UNAVAILABLE", platformKey.startsWith("darwin-")
                ? "There is nothing to download on macOS: Metal is built into ConPET and used automatically on Apple silicon."
                : `node-llama-cpp publishes no GPU backend for ${platformKey}; ConPET runs on the CPU here.`);
        if (args.backend !== undefined && !isGpuBackendKind(args.backend))
            throw new ConpetError("INVALID_INPUT", `backend must be "cuda" or "vulkan", not ${JSON.stringify(args.backend)}.`);
        const kind = args.backend ?? await pickBackend(deps);
        if (kind === undefined)
            return undefined;
        const registry = resolveNpmRegistry(typeof args.registry === "string" ? {registry: args.registry} : {});
        const label = gpuBackendLabels[kind];
        output.info(`Installing the ${label} backend from ${registry} into ${services.gpuBackendLocation.root}`);
        const installed = await vscode.window.withProgress(
            {location: vscode.ProgressLocation.Notification, title: `ConPET: downloading the ${label} backend`, cancellable: true},
            async (progress, token) => {
                const controller = new AbortController();
                const subscription = token.onCancellationRequested(() => controller.abort());
                let reported = 0;
                try {
                    return await installGpuBackend({
                        root: services.gpuBackendLocation.root,
                        kind,
                        pins: readPinnedBackendPackages(services.gpuBackendLocation.pinsPath),
                        registry,
                        signal: controller.signal,
                        // Verified and unpacked: only now does the engine let go of the backend it runs on.
                        beforeReplace: () => services.stopEngine(),
                        onProgress: (event) => {
                            const percent = getOverallPercent(event);
                            progress.report({increment: percent - reported, message: formatInstallProgress(event)});
                            reported = percent;
                        }
                    });
                } finally {
                    subscription.dispose();
                }
            }
        );
        updateContext();
        services.notifyDataChanged();
        output.info(`Installed the ${label} backend (${formatBytes(installed.bytes)}) in ${installed.directory}`);
        const info = await services.reloadEngine();
        if (info === null)
            void vscode.window.showInformationMessage(`ConPET: the ${label} backend is installed. The model loads on it at its next use, and training uses it too.`);
        else if (info.gpuBackendProblem !== undefined)
            void vscode.window.showWarningMessage(`ConPET: ${info.gpuBackendProblem}`, "Show Logs", "Disable GPU Acceleration").then((picked) => {
                if (picked === "Show Logs")
                    void vscode.commands.executeCommand(commandIds.showLogs);
                else if (picked !== undefined)
                    void vscode.commands.executeCommand(commandIds.disableGpuAcceleration);
            });
        else
            void vscode.window.showInformationMessage(`ConPET: GPU acceleration is on. The model runs on ${info.backend.toUpperCase()} (${info.gpuLayers}/${info.layers} layers offloaded); training uses it too.`);
        return {kind, directory: installed.directory, bytes: installed.bytes, backend: info?.backend ?? null, gpuBackendProblem: info?.gpuBackendProblem ?? null};
    });

    registerConpetCommand(deps, commandIds.disableGpuAcceleration, async () => {
        throwIfTraining(deps);
        const before = services.getInstalledGpuBackend();
        // The engine holds the backend's libraries open (and Windows cannot delete them until it exits).
        await services.stopEngine();
        const removed = await removeGpuBackend(services.gpuBackendLocation.root);
        updateContext();
        services.notifyDataChanged();
        const info = await services.reloadEngine();
        const freed = before.state === "installed" ? ` (${formatBytes(before.bytes)} freed)` : "";
        void vscode.window.showInformationMessage(removed
            ? `ConPET: GPU acceleration is off: the backend was removed${freed}.${info === null ? "" : ` The model runs on ${info.backend.toUpperCase()}.`}`
            : "ConPET: no GPU backend was installed.");
        return {removed, backend: info?.backend ?? null};
    });
}

function throwIfTraining({training}: CommandDeps): void {
    if (training.isRunning)
        throw new ConpetError("TRAINING_BUSY", "Training is running on the current backend: change GPU acceleration after it finishes or is cancelled.");
}

/** A quick pick of the backends this platform can install, the one for the GPU found first. */
async function pickBackend({services}: CommandDeps): Promise<GpuBackendKind | undefined> {
    const detected = (await services.getEngine().detectGpus()).gpus;
    const suggested = pickGpuBackendKind(detected);
    const kinds = getInstallableGpuBackendKinds().sort((a, b) => Number(b === suggested) - Number(a === suggested));
    const picked = await vscode.window.showQuickPick(kinds.map((kind) => {
        const size = getApproximateDownloadBytes(kind);
        return {
            label: gpuBackendLabels[kind],
            description: `${detected.includes(kind) ? "driver found" : "no driver found"}${size === undefined ? "" : ` · about ${formatBytes(size)} to download`}`,
            detail: `For ${gpuBackendHardware[kind]}. node-llama-cpp's prebuilt package, checked against the sha512 this version of ConPET pins.`,
            backend: kind
        };
    }), {placeHolder: suggested === undefined ? "No GPU driver was found; pick a backend to install anyway" : "Download a GPU backend once into the extension's storage", ignoreFocusOut: true});
    return picked?.backend;
}

/** Each package weighs the same in the bar: the sizes of the later ones are unknown until they start. */
function getOverallPercent({packageIndex, packageCount, receivedBytes, totalBytes, phase}: GpuBackendInstallProgress): number {
    const withinPackage = phase === "unpack" ? 1 : totalBytes > 0 ? receivedBytes / totalBytes : 0;
    return ((packageIndex + withinPackage) / packageCount) * 100;
}

function formatInstallProgress({name, packageIndex, packageCount, receivedBytes, totalBytes, phase}: GpuBackendInstallProgress): string {
    const which = packageCount > 1 ? `${name.slice(name.indexOf("/") + 1)} (${packageIndex + 1}/${packageCount}): ` : "";
    if (phase === "unpack")
        return `${which}verified, unpacking`;
    return `${which}${formatBytes(receivedBytes)}${totalBytes > 0 ? ` of ${formatBytes(totalBytes)}` : ""}`;
}
