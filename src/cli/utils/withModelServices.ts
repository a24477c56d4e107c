import {existsSync} from "node:fs";
import {ModelNotFoundError} from "../../vocabulary/errors";
import {EngineClient} from "../../engine/client/EngineClient";
import {resolveEngineEntryPath} from "../../engine/client/resolveEngineEntryPath";
import {ConpetStore} from "../../store/ConpetStore";
import {getGpuBackendEnvironment} from "../../gpuBackend/getGpuBackendEnvironment";
import {TrainerClient} from "../../trainer/TrainerClient";
import type {CliContext, CliOptionValues} from "../CliCommand";
import {UsageError} from "../UsageError";
import {findDistFile} from "./findDistFile";
import {getGpuBackendLocation} from "./getGpuBackendLocation";
import {getStringOption} from "./optionValues";

export type ModelServices = {store: ConpetStore; engine: EngineClient; trainer: TrainerClient};

/**
 * Opens the store of `directory` (default: `--store`), starts an engine client and a trainer
 * client for the duration of `fn`, and always ends them. Works from the bundle (`dist/cli.mjs`,
 * engine beside it) and from source (`tsx src/cli/cli.ts`, engine in the package's `dist/`).
 * Both run on the GPU backend `conpet gpu install` installed, if any.
 */
export async function withModelServices<T>(context: CliContext, modelPath: string, fn: (services: ModelServices) => Promise<T>, directory?: string): Promise<T> {
    if (!existsSync(modelPath))
        throw new ModelNotFoundError(modelPath);
    const store = await ConpetStore.open({directory: directory ?? context.storeDirectory});
    const gpuBackendEnvironment = getGpuBackendEnvironment(getGpuBackendLocation(context), (message) => context.log(message));
    const engine = new EngineClient({
        entryPath: findDistFile(resolveEngineEntryPath),
        env: gpuBackendEnvironment,
        onLog: (level, message) => {
            if (level === "warn" || level === "error")
                context.log(`[engine] ${message}`);
        }
    });
    const trainer = new TrainerClient({env: () => gpuBackendEnvironment});
    try {
        return await fn({store, engine, trainer});
    } finally {
        trainer.dispose();
        engine.dispose();
        await store.dispose();
    }
}

/** `--model FILE` (required) and `--mode dynamic|static` of the commands that use the service. */
export function getModelAndModeOptions(values: CliOptionValues): {modelPath: string; mode?: "dynamic" | "static"} {
    const modelPath = getStringOption(values, "model");
    if (modelPath === undefined)
        throw new UsageError("Missing --model FILE.");
    return {modelPath, mode: getModeOption(values)};
}

/** `--mode dynamic|static`: whose modules a command trains, uses or lists. */
export function getModeOption(values: CliOptionValues): "dynamic" | "static" | undefined {
    const mode = getStringOption(values, "mode");
    if (mode !== undefined && mode !== "dynamic" && mode !== "static")
        throw new UsageError(`--mode must be "dynamic" or "static", not ${JSON.stringify(mode)}.`);
    return mode;
}
