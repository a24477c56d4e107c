import {importExamples} from "../../core/importExport/importExamples";
import {defaultConpetSettings} from "../../core/settings/conpetSettingsSchema";
import type {CliCommand} from "../CliCommand";
import {formatTable} from "../utils/formatTable";
import {getIntegerOption, getPositionals, getStringOption} from "../utils/optionValues";
import {withStore} from "../utils/withStore";

export type ImportCommand = {
    source: string;
    task?: string;
    cap: number;
    seed?: number;
};

export const ImportCommand: CliCommand<ImportCommand> = {
    command: ["import"],
    positionals: "<suite folder | file.jsonl>",
    description: "Import examples: a suite folder creates its tasks; a JSONL file adds {input, output} lines to existing tasks. All or nothing.",
    options: {
        task: {type: "string", short: "t", valueName: "NAME", description: "Suite: import only this task. JSONL: the task of lines without a \"task\" field."},
        cap: {type: "string", valueName: "N", description: `Most train samples kept per task (reservoir sampling beyond). Defaults to ${defaultConpetSettings.maxSamplesPerTask}.`},
        seed: {type: "string", valueName: "N", description: "Seed of the reservoir sampling, for reproducible imports. Defaults to random."}
    },
    parse(values, positionals) {
        const [source] = getPositionals(positionals, ["suite folder | file.jsonl"]);
        return {
            source: source!,
            task: getStringOption(values, "task"),
            cap: getIntegerOption(values, "cap", {min: 1}) ?? defaultConpetSettings.maxSamplesPerTask,
            seed: getIntegerOption(values, "seed")
        };
    },
    async run({source, ...options}, context) {
        const result = await withStore(context, (store) => importExamples(store, source, {...options, signal: context.signal}));
        if (context.json) {
            context.print(JSON.stringify(result));
            return;
        }
        context.print(formatTable(
            ["task", "new", "train", "test", "stored", "dropped", "duplicates"],
            result.tasks.map((task) => [task.name, task.created ? "yes" : "no", task.train, task.test, task.added - task.evicted, task.skipped + task.evicted, task.duplicates])
        ));
        const duplicates = result.tasks.reduce((sum, task) => sum + task.duplicates, 0);
        if (duplicates > 0)
            context.log(`Skipped ${duplicates} duplicate sample${duplicates === 1 ? "" : "s"} (already in the task, or repeated in the file).`);
        const total = result.tasks.reduce((sum, task) => sum + task.train + task.test, 0);
        context.print(`Imported ${total} examples into ${result.tasks.length} task${result.tasks.length === 1 ? "" : "s"} from ${result.source}.`);
    }
};
