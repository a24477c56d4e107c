import {EngineClient} from "../../../engine/client/EngineClient";
import {resolveEngineEntryPath} from "../../../engine/client/resolveEngineEntryPath";
import {getInstallableGpuBackendKinds, getPlatformKey} from "../../../gpuBackend/gpuBackendPackages";
import {readInstalledGpuBackend} from "../../../gpuBackend/readInstalledGpuBackend";
import {readPinnedBackendPackages} from "../../../gpuBackend/readPinnedBackendPackages";
import type {CliCommand} from "../../CliCommand";
import {findDistFile} from "../../utils/findDistFile";
import {formatKeyValues} from "../../utils/formatKeyValues";
import {getGpuBackendLocation} from "../../utils/getGpuBackendLocation";
import {getPositionals} from "../../utils/optionValues";

export type GpuStatusCommand = Record<string, never>;

export const GpuStatusCommand: CliCommand<GpuStatusCommand> = {
    command: ["gpu", "status"],
    description: "Show the installed GPU backend, the GPUs whose drivers are found, and the backends this platform can install.",
    options: {},
    parse(_values, positionals) {
        getPositionals(positionals, []);
        return {};
    },
    async run(_args, context) {
        const location = getGpuBackendLocation(context);
        const installed = readInstalledGpuBackend(location.root, readPinnedBackendPackages(location.pinsPath));
        const engine = new EngineClient({entryPath: findDistFile(resolveEngineEntryPath)});
        const detected = await engine.detectGpus({}, {signal: context.signal}).finally(() => engine.dispose());
        const status = {root: location.root, platform: getPlatformKey(), installed, detectedGpus: detected.gpus, installable: getInstallableGpuBackendKinds()};
        if (context.json) {
            context.print(JSON.stringify(status));
            return;
        }
        context.print(formatKeyValues({
            folder: status.root,
            installed: installed.state === "installed"
                ? `${installed.kind} (${(installed.bytes / 2 ** 20).toFixed(1)} MiB, ${installed.installedAt})`
                : installed.state === "none" ? "none" : `unusable: ${installed.reason}`,
            detectedGpus: detected.gpus.length === 0 ? "none" : detected.gpus.join(", "),
            installable: status.installable.length === 0 ? `none for ${status.platform}` : status.installable.join(", ")
        }));
    }
};
