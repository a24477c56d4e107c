import {getGpuBackendEnvironment} from "../../gpuBackend/getGpuBackendEnvironment";
import {benchTrain} from "../../trainer/benchTrain";
import type {CliCommand} from "../CliCommand";
import {UsageError} from "../UsageError";
import {formatKeyValues} from "../utils/formatKeyValues";
import {getGpuBackendLocation} from "../utils/getGpuBackendLocation";
import {getIntegerOption, getStringListOption, getStringOption} from "../utils/optionValues";

export type BenchTrainCommand = {
    modelPath: string;
    seqLen: number;
    rank: number;
    steps: number;
    batchSize: number;
    threads: number;
    gpuLayers: number | "max";
    targetModules: string[];
    reportPath?: string;
};

export const BenchTrainCommand: CliCommand<BenchTrainCommand> = {
    command: ["bench-train"],
    description: "Measure LoRA training throughput (tokens/s) of the native trainer on a model, with random-token samples.",
    options: {
        model: {type: "string", valueName: "FILE", description: "The base model (.gguf). Required."},
        "seq-len": {type: "string", valueName: "N", description: "Tokens per sample, half prompt and half completion. Defaults to 256."},
        rank: {type: "string", valueName: "R", description: "LoRA rank. Defaults to 8."},
        steps: {type: "string", valueName: "S", description: "Optimizer steps; the first is not timed. Defaults to 6."},
        batch: {type: "string", valueName: "B", description: "Samples per step. Defaults to 4."},
        threads: {type: "string", valueName: "N", description: "CPU threads. Defaults to 2."},
        "gpu-layers": {type: "string", valueName: "N|max", description: "Layers offloaded to the GPU. Defaults to 0."},
        target: {type: "string", multiple: true, valueName: "PROJ", description: "A LoRA target (q, k, v, o, gate, up, down); repeat. Defaults to q, k, v, o."},
        report: {type: "string", valueName: "FILE", description: "Also write the report as JSON here."}
    },
    parse(values) {
        const modelPath = getStringOption(values, "model");
        if (modelPath === undefined)
            throw new UsageError("Missing --model FILE.");
        const gpu = getStringOption(values, "gpu-layers");
        if (gpu !== undefined && gpu !== "max" && !/^\d+$/.test(gpu))
            throw new UsageError("--gpu-layers must be a number or \"max\".");
        const targets = getStringListOption(values, "target");
        return {
            modelPath,
            seqLen: getIntegerOption(values, "seq-len", {min: 4, max: 65536}) ?? 256,
            rank: getIntegerOption(values, "rank", {min: 1, max: 1024}) ?? 8,
            steps: getIntegerOption(values, "steps", {min: 2, max: 100000}) ?? 6,
            batchSize: getIntegerOption(values, "batch", {min: 1, max: 256}) ?? 4,
            threads: getIntegerOption(values, "threads", {min: 1, max: 1024}) ?? 2,
            gpuLayers: gpu === undefined ? 0 : gpu === "max" ? "max" : Number(gpu),
            targetModules: targets.length > 0 ? targets : ["q", "k", "v", "o"],
            reportPath: getStringOption(values, "report")
        };
    },
    async run(args, context) {
        const report = await benchTrain({
            ...args,
            // the backend `conpet gpu install` installed, as `conpet train` uses it
            env: getGpuBackendEnvironment(getGpuBackendLocation(context), (message) => context.log(message)),
            signal: context.signal,
            onEvent(event) {
                if (event.type === "progress")
                    context.log(`step ${event.step}/${event.totalSteps} loss ${event.loss.toFixed(4)} ${event.tokensPerSecond.toFixed(1)} tokens/s, ${event.threads ?? args.threads} threads`);
                else if (event.type === "warning")
                    context.log(`warning: ${event.message}`);
            }
        });
        context.print(context.json ? JSON.stringify(report) : formatKeyValues({
            ...report,
            target_modules: report.target_modules.join(","),
            threads_per_step: report.threads_per_step.join(","),
            load_average_before: report.load_average_before.map((x) => x.toFixed(2)).join(" "),
            load_average_after: report.load_average_after.map((x) => x.toFixed(2)).join(" "),
            trainer_env: JSON.stringify(report.trainer_env)
        }));
    }
};
