import {importAdapter} from "../../core/adapters/importAdapter";
import type {CliCommand} from "../CliCommand";
import {formatKeyValues} from "../utils/formatKeyValues";
import {getPositionals, getRequiredStringOption} from "../utils/optionValues";
import {withStore} from "../utils/withStore";

export type ImportAdapterCommand = {
    adapterPath: string;
    task: string;
    modelPath: string;
};

export const ImportAdapterCommand: CliCommand<ImportAdapterCommand> = {
    command: ["import-adapter"],
    positionals: "<adapter.gguf | PEFT folder>",
    description: "Make a LoRA adapter trained elsewhere a task's module: a llama.cpp GGUF adapter, or a PEFT adapter (adapter_config.json + adapter_model.safetensors) converted to GGUF. Checked against the base model.",
    options: {
        task: {type: "string", short: "t", valueName: "NAME", description: "The task whose module it becomes (it must exist). Required."},
        model: {type: "string", short: "m", valueName: "FILE", description: "The base model (.gguf) the adapter was trained on. Required."}
    },
    parse(values, positionals) {
        const [adapterPath] = getPositionals(positionals, ["adapter.gguf | PEFT folder"]);
        return {adapterPath: adapterPath!, task: getRequiredStringOption(values, "task", "NAME"), modelPath: getRequiredStringOption(values, "model", "FILE")};
    },
    async run(args, context) {
        const result = await withStore(context, (store) => importAdapter(store, {...args, signal: context.signal}));
        if (context.json) {
            context.print(JSON.stringify(result));
            return;
        }
        const {module} = result;
        context.print(formatKeyValues({
            task: result.task,
            format: result.format === "peft" ? `PEFT (converted to GGUF)${result.peftBaseModelName === null ? "" : `, trained on ${result.peftBaseModelName}`}` : "GGUF",
            targets: module.targetModules,
            rank: module.rank,
            alpha: module.alpha,
            parameters: module.trainableParameters,
            baseModel: module.baseModelFingerprint
        }));
        context.print(`Imported the adapter as the module of ${JSON.stringify(result.task)}${result.replaced ? ", replacing its previous module for this base model" : ""}.`);
    }
};
