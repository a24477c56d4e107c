import type {GpuLayersSetting, ModelInfo} from "../../vocabulary/engineProtocol";
import {defaultConpetSettings as defaults} from "../../core/settings/conpetSettingsSchema";
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
    /** Who trains the store now (another `conpet train`, a VS Code window) and how far it is, from the store's training lease. */
    training: {pid: number; label: string; startedAt: string; progress: unknown} | null;
};

export const InfoCommand: CliCommand<InfoCommand> = {
    command: ["info"],
    description: "Show the store (folder, tasks, samples, modules, who trains it now) and, with --model, the model and the backend it runs on.",
    options: {
        model: {type: "string", short: "m", valueName: "FILE", description: "Load this .gguf model and report its architecture, size and backend (CUDA, Vulkan, Metal or CPU)."},
        "gpu-layers": {type: "string", valueName: "N", description: `Layers to offload to the GPU with --model: auto, max or a number. Defaults to ${defaults.gpuLayers}.`},
        threads: {type: "string", valueName: "N", description: `CPU threads with --model; 0 picks automatically. Defaults to ${defaults.threads}.`}
    },
    parse(values, positionals) {
        getPositionals(positionals, []);
        const gpuLayers = getStringOption(values, "gpu-layers") ?? String(defaults.gpuLayers);
        if (gpuLayers !== "auto" && gpuLayers !== "max" && !/^\d+$/.test(gpuLayers))
            throw new UsageError(`--gpu-layers must be auto, max or a number, not ${JSON.stringify(gpuLayers)}.`);
        return {
            modelPath: getStringOption(values, "model"),
            gpuLayers: gpuLayers === "auto" || gpuLayers === "max" ? gpuLayers : Number(gpuLayers),
            threads: getIntegerOption(values, "threads", {min: 0}) ?? defaults.threads
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
        context.print(formatKeyValues({...store, training: store.training === null ? "no" : formatTraining(store.training)}));
        if (model !== undefined)
            context.print(`\n${formatKeyValues({
                model: model.modelPath,
                architecture: model.architecture,
                fileType: model.fileType,
                parameters: model.parameters,
                layers: model.layers,
                backend: model.backend,
                gpuBackendProblem: model.gpuBackendProblem,
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
        evaluations: (await store.listEvaluations()).length,
        training: await store.getTrainingLease().then((lease) => lease === undefined ? null : {pid: lease.pid, label: lease.label, startedAt: lease.startedAt, progress: lease.progress})
    };
}

/** `conpet train (process 4242) since 10:02:11: langs-2 task step 50/200` */
function formatTraining({pid, label, startedAt, progress}: NonNullable<StoreInfo["training"]>): string {
    const {task, phase, step, totalSteps} = (progress ?? {}) as {task?: string; phase?: string; step?: number; totalSteps?: number};
    const where = step === undefined ? "starting" : `${task ?? ""} ${phase ?? ""} step ${step}/${totalSteps ?? "?"}`.trim();
    return `${label} (process ${pid}) since ${new Date(startedAt).toLocaleTimeString()}: ${where}`;
}
