import type {CliCommand} from "../../CliCommand";
import {formatTable} from "../../utils/formatTable";
import {withStore} from "../../utils/withStore";

export type TaskListCommand = Record<string, never>;

export const TaskListCommand: CliCommand<TaskListCommand> = {
    command: ["task", "list"],
    description: "List the tasks in arrival order with their sample counts and module state.",
    options: {},
    parse() {
        return {};
    },
    async run(_args, context) {
        const rows = await withStore(context, async (store) => {
            const counts = new Map((await store.countSamplesByTask()).map((count) => [count.taskId, count]));
            return Promise.all((await store.listTasks()).map(async (task) => {
                const module = await store.getModule(task.id, "task-lora");
                const stale = module !== undefined && module.samplesHash !== await store.getSamplesHash(task.id);
                return {
                    ...task,
                    train: counts.get(task.id)?.train ?? 0,
                    test: counts.get(task.id)?.test ?? 0,
                    module: module === undefined ? "untrained" : stale ? "stale" : "ready"
                };
            }));
        });
        if (context.json)
            context.print(JSON.stringify(rows));
        else if (rows.length === 0)
            context.print(`No tasks in ${context.storeDirectory}. Create one with "conpet task add" or "conpet import".`);
        else
            context.print(formatTable(
                ["name", "kind", "labels", "train", "test", "module"],
                rows.map((row) => [row.name, row.kind, row.labels.join(", ") || "-", row.train, row.test, row.module])
            ));
    }
};
