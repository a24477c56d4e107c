import {exportTasks} from "../../core/importExport/exportTasks";
import type {CliCommand} from "../CliCommand";
import {formatTable} from "../utils/formatTable";
import {getPositionals, getRequiredStringOption, getStringOption} from "../utils/optionValues";
import {withStore} from "../utils/withStore";

export type ExportCommand = {
    outDir: string;
    task?: string;
    modelPath?: string;
};

export const ExportCommand: CliCommand<ExportCommand> = {
    command: ["export"],
    description: "Export tasks as a suite folder (re-importable), as chat-format JSONL for fine-tuning tools, and their adapters as GGUF (and as PEFT with --model).",
    options: {
        out: {type: "string", short: "o", valueName: "DIR", description: "The folder to write into (created if missing). Required."},
        task: {type: "string", short: "t", valueName: "NAME", description: "Export only this task. Defaults to every task."},
        model: {type: "string", short: "m", valueName: "FILE", description: "The base model (.gguf): each task's adapter trained on it is also written as a PEFT adapter (adapters/<task>.peft/). Defaults to none."}
    },
    parse(values, positionals) {
        getPositionals(positionals, []);
        return {outDir: getRequiredStringOption(values, "out", "DIR"), task: getStringOption(values, "task"), modelPath: getStringOption(values, "model")};
    },
    async run(args, context) {
        const result = await withStore(context, (store) => exportTasks(store, {...args, signal: context.signal}));
        for (const warning of result.warnings)
            context.log(`warning: ${warning}`);
        if (context.json) {
            context.print(JSON.stringify(result));
            return;
        }
        if (result.tasks.length > 0)
            context.print(formatTable(
                ["task", "folder", "train", "test", "adapter", "peft"],
                result.tasks.map((task) => [task.name, task.folder, task.train, task.test, task.adapter ?? "-", task.peftAdapter ?? "-"])
            ));
        context.print(`Exported ${result.tasks.length} task${result.tasks.length === 1 ? "" : "s"} (${result.files.length} files) to ${result.directory}.`);
    }
};
