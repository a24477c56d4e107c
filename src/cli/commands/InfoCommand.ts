import type {GpuLayersSetting, ModelInfo} from "../../engine/protocol";
import type {ConpetStore} from "../../store/ConpetStore";
import type {CliCommand} from "../CliCommand";
import {UsageError} from "../UsageError";
import {formatKeyValues} from "../utils/formatKeyValues";
import {getIntegerOption, getPositionals, getStringOption} from "../utils/optionValues";
import {withModelServices} from "../utils/withModelServices";
import {withStore} from "../utils/withStore";

export type InfoCommand = {
    /** Load this model in the engine and report it with the backend. */
    modelPath?: string;
    gpuLayers: GpuLayersSetting;
    threads: number;
};

export type StoreInfo = {
    store: string;
    database: string;
    tasks: number;
    trainSamples: number;
    testSamples: number;
    modules: number;
    evaluations: number;
};

export const InfoCommand: CliCommand<InfoCommand> = {
    command: ["info"],
    description: "Show the store (folder, tasks, samples, modules) and, with --model, the model and the backend it runs on.",
    options: {
        model: {type: "string", short: "m", valueName: "FILE", description: "Load this .gguf model and report its architecture, size and backend (CUDA, Vulkan, Metal or CPU)."},
        "gpu-layers": {type: "string", valueName: "N", description: "Layers to offload to the GPU with --model: auto, max or a number. Defaults to auto."},
        threads: {type: "string", valueName: "N", description: "CPU threads with --model; 0 picks automatically. Defaults to 0."}
    },
    parse(values, positionals) {
        getPositionals(positionals, []);
        const gpuLayers = getStringOption(values, "gpu-layers") ?? "auto";
        if (gpuLayers !== "auto" && gpuLayers !== "max" && !/^\d+$/.test(gpuLayers))
            throw new UsageError(`--gpu-layers must be auto, max or a number, not ${JSON.stringify(gpuLayers)}.`);
        return {
            modelPath: getStringOption(values, "model"),
            gpuLayers: gpuLayers === "auto" || gpuLayers === "max" ? gpuLayers : Number(gpuLayers),
            threads: getIntegerOption(values, "threads", {min: 0}) ?? 0
        };
    },
    async run({modelPath, gpuLayers, threads}, context) {
        let model: ModelInfo | undefined;
        const store = modelPath === undefined
            ? await withStore(context, getStoreInfo)
            : await withModelServices(context, modelPath, async (services) => {
                model = await services.engine.load({modelPath, gpuLayers, threads}, {signal: context.signal});
                return getStoreInfo(services.store);
            });
        if (context.json) {
            context.print(JSON.stringify(model === undefined ? store : {...store, model}));
            return;
        }
        context.print(formatKeyValues(store));
        if (model !== undefined)
            context.print(`\n${formatKeyValues({
                model: model.modelPath,
                architecture: model.architecture,
                fileType: model.fileType,
                parameters: model.parameters,
                layers: model.layers,
                backend: model.backend,
                gpuLayers: `${model.gpuLayers} offloaded`,
                threads: model.threads,
                vramUsed: `${(model.vramUsedBytes / 2 ** 20).toFixed(1)} MiB`,
                contextSize: model.contextSize
            })}`);
    }
};

async function getStoreInfo(store: ConpetStore): Promise<StoreInfo> {
    const counts = await store.countSamplesByTask();
    return {
        store: store.directory,
        database: store.databasePath,
        tasks: counts.length,
        trainSamples: counts.reduce((sum, count) => sum + count.train, 0),
        testSamples: counts.reduce((sum, count) => sum + count.test, 0),
        modules: (await store.listModules()).length,
        evaluations: (await store.listEvaluations()).length
    };
}
