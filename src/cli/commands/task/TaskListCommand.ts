import {getTaskModuleStates, type TaskModuleInfo} from "../../../core/moduleStates/getTaskModuleStates";
import type {ConpetStore} from "../../../store/ConpetStore";
import type {CliCommand} from "../../CliCommand";
import {formatTable} from "../../utils/formatTable";
import {getStringOption} from "../../utils/optionValues";
import {withModelServices} from "../../utils/withModelServices";
import {withStore} from "../../utils/withStore";

export type TaskListCommand = {
    /** `--model FILE`: module states for this base model (loads it). */
    modelPath?: string;
};

type ModuleColumns = {module: string; reason: string | null; baseModels: number};

export const TaskListCommand: CliCommand<TaskListCommand> = {
    command: ["task", "list"],
    description: "List the tasks in arrival order with their sample counts and module state (ready, stale, missing, untrained).",
    options: {
        model: {type: "string", short: "m", valueName: "FILE", description: "Give the module states for this base model (.gguf; loads it). Defaults to the base model the store last trained a task on."}
    },
    parse(values) {
        return {modelPath: getStringOption(values, "model")};
    },
    async run(args, context) {
        const list = async (store: ConpetStore, states: Map<number, TaskModuleInfo>) => {
            const counts = new Map((await store.countSamplesByTask()).map((count) => [count.taskId, count]));
            return (await store.listTasks()).map((task) => ({
                ...task,
                train: counts.get(task.id)?.train ?? 0,
                test: counts.get(task.id)?.test ?? 0,
                ...toModuleColumns(states.get(task.id))
            }));
        };
        const rows = args.modelPath === undefined
            ? await withStore(context, async (store) => {
                // A module of another base model is stale for this one; without --model, judge by the last base model trained on.
                const newest = (await store.listModules()).filter((m) => m.kind === "task-lora").sort((a, b) => a.id - b.id).at(-1);
                return list(store, await getTaskModuleStates(store, {kind: "task-lora", baseModelFingerprint: newest?.baseModelFingerprint ?? ""}));
            })
            : await withModelServices(context, args.modelPath, async ({store, engine}) => {
                // Only the fingerprint is needed: the CPU and the engine's default threads load it fastest.
                const {fingerprint} = await engine.load({modelPath: args.modelPath!, gpuLayers: 0, threads: 0}, {signal: context.signal});
                return list(store, await getTaskModuleStates(store, {kind: "task-lora", baseModelFingerprint: fingerprint}));
            });
        if (context.json)
            context.print(JSON.stringify(rows));
        else if (rows.length === 0)
            context.print(`No tasks in ${context.storeDirectory}. Create one with "conpet task add" or "conpet import".`);
        else
            context.print(formatTable(
                ["name", "kind", "labels", "train", "test", "module"],
                rows.map((row) => [row.name, row.kind, row.labels.join(", ") || "-", row.train, row.test, row.reason === null ? row.module : `${row.module} (${row.reason})`])
            ));
    }
};

function toModuleColumns(info: TaskModuleInfo | undefined): ModuleColumns {
    return {
        module: info?.state ?? "untrained",
        reason: info?.reason ?? null,
        baseModels: (info?.module === null || info?.module === undefined ? 0 : 1) + (info?.otherBaseModels.length ?? 0)
    };
}
