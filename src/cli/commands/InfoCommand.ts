import type {CliCommand} from "../CliCommand";
import {formatKeyValues} from "../utils/formatKeyValues";
import {withStore} from "../utils/withStore";

export type InfoCommand = Record<string, never>;

export const InfoCommand: CliCommand<InfoCommand> = {
    command: ["info"],
    description: "Show the store: its folder, and how many tasks, samples, modules and evaluations it holds.",
    options: {},
    parse() {
        return {};
    },
    async run(_args, context) {
        const info = await withStore(context, async (store) => ({
            store: store.directory,
            database: store.databasePath,
            tasks: (await store.listTasks()).length,
            trainSamples: await store.countSamples({split: "train"}),
            testSamples: await store.countSamples({split: "test"}),
            modules: (await store.listModules()).length,
            evaluations: (await store.listEvaluations()).length
        }));
        if (context.json)
            context.print(JSON.stringify(info));
        else
            context.print(formatKeyValues(info));
    }
};
