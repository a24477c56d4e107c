import path from "node:path";
import type {GpuBackendLocation} from "../../gpuBackend/getGpuBackendEnvironment";
import {resolvePinnedBackendsPath} from "../../gpuBackend/readPinnedBackendPackages";
import type {CliContext} from "../CliCommand";
import {findDistFile} from "./findDistFile";

/** Overrides where the CLI keeps the GPU backend (e.g. the VS Code extension's `globalStorage/.../gpu-backend`). */
export const gpuBackendDirEnvVar = "CONPET_GPU_BACKEND_DIR";

/** `$CONPET_GPU_BACKEND_DIR`, else `gpu-backend/` in the store folder (as the extension keeps it in its global storage). */
export function getGpuBackendLocation(context: Pick<CliContext, "storeDirectory">): GpuBackendLocation {
    const override = process.env[gpuBackendDirEnvVar];
    return {
        root: override !== undefined && override !== "" ? path.resolve(override) : path.join(context.storeDirectory, "gpu-backend"),
        pinsPath: findDistFile(resolvePinnedBackendsPath)
    };
}
