import * as vscode from "vscode";
import {getApproximateDownloadBytes, pickGpuBackendKind} from "../../gpuBackend/gpuBackendPackages";
import type {ModelInfo} from "../../vocabulary/engineProtocol";
import {gpuBackendLabels} from "../commands/gpuAcceleration";
import type {CommandDeps} from "../commands/CommandDeps";
import {commandIds, globalStateKeys} from "../constants";
import {formatBytes} from "../utils/formatBytes";

/**
 * The one-time offer: the first time a model runs on the CPU of a machine where node-llama-cpp finds a GPU driver
 * it has a downloadable backend for, and no backend is installed, a notification offers "Enable GPU
 * Acceleration". It is shown once per installation of the extension, whatever the answer; the command stays in the
 * palette. Nothing is downloaded unless the user accepts.
 */
export function registerGpuAccelerationOffer(deps: CommandDeps): void {
    const {services, context, output} = deps;
    let checking = false;
    context.subscriptions.push(services.onDidChangeModelInfo((info) => {
        if (checking || !isWorthChecking(info, deps))
            return;
        checking = true;
        void offer(deps).catch((err: unknown) => output.warn(`The GPU acceleration offer failed: ${err instanceof Error ? err.message : String(err)}`));
    }));
}

function isWorthChecking(info: ModelInfo | null, {services, context}: CommandDeps): boolean {
    return info !== null && info.backend === "cpu" && info.gpuBackendProblem === undefined
        && services.getSettings().gpuLayers !== 0
        && vscode.workspace.isTrusted
        && context.globalState.get<boolean>(globalStateKeys.gpuAccelerationOffered) !== true
        && services.getInstalledGpuBackend().state !== "installed";
}

async function offer({services, context, output}: CommandDeps): Promise<void> {
    const {gpus} = await services.getEngine().detectGpus();
    const kind = pickGpuBackendKind(gpus);
    output.info(`GPUs with a driver found: ${gpus.length === 0 ? "none" : gpus.join(", ")}`);
    if (kind === undefined)
        return;
    await context.globalState.update(globalStateKeys.gpuAccelerationOffered, true);
    const label = gpuBackendLabels[kind];
    const size = getApproximateDownloadBytes(kind);
    const enable = "Enable GPU Acceleration";
    const picked = await vscode.window.showInformationMessage(
        `ConPET: a ${label} GPU driver was found, but the model runs on the CPU. Download node-llama-cpp's ${label} backend${size === undefined ? "" : ` (about ${formatBytes(size)}, once)`} to run the model and training on the GPU?`,
        enable,
        "Not Now"
    );
    if (picked === enable)
        await vscode.commands.executeCommand(commandIds.enableGpuAcceleration, {backend: kind});
}
