import type {CliCommand} from "../../CliCommand";
import {getPositionals} from "../../utils/optionValues";
import {withStore} from "../../utils/withStore";

export type TaskDeleteCommand = {
    name: string;
};

export const TaskDeleteCommand: CliCommand<TaskDeleteCommand> = {
    command: ["task", "delete"],
    positionals: "<name>",
    description: "Delete a task with its samples, modules and adapter files.",
    options: {},
    parse(_values, positionals) {
        const [name] = getPositionals(positionals, ["name"]);
        return {name: name!};
    },
    async run({name}, context) {
        const result = await withStore(context, async (store) => {
            const task = await store.getTask(name);
            const samples = await store.countSamples({taskId: task.id});
            await store.deleteTask(task.id);
            return {deleted: task.name, id: task.id, samples};
        });
        context.print(context.json
            ? JSON.stringify(result)
            : `Deleted task ${JSON.stringify(result.deleted)} and its ${result.samples} samples.`);
    }
};
