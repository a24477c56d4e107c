import {removeGpuBackend} from "../../../gpuBackend/installGpuBackend";
import type {CliCommand} from "../../CliCommand";
import {getGpuBackendLocation} from "../../utils/getGpuBackendLocation";
import {getPositionals} from "../../utils/optionValues";

export type GpuRemoveCommand = Record<string, never>;

export const GpuRemoveCommand: CliCommand<GpuRemoveCommand> = {
    command: ["gpu", "remove"],
    description: "Remove the GPU backend \"conpet gpu install\" installed; the engine and the trainer run on the CPU again.",
    options: {},
    parse(_values, positionals) {
        getPositionals(positionals, []);
        return {};
    },
    async run(_args, context) {
        const {root} = getGpuBackendLocation(context);
        const removed = await removeGpuBackend(root);
        context.print(context.json ? JSON.stringify({removed, root}) : removed ? `Removed the GPU backend from ${root}.` : `No GPU backend is installed in ${root}.`);
    }
};
