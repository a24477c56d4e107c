import {getTaskModuleStates} from "../../../core/moduleStates/getTaskModuleStates";
import type {TaskModuleStatus} from "../../../core/moduleStates/types";
import type {CliCommand} from "../../CliCommand";
import {formatTable} from "../../utils/formatTable";
import {getStringOption} from "../../utils/optionValues";
import {getModeOption, withModelServices} from "../../utils/withModelServices";
import {withStore} from "../../utils/withStore";

export type TaskListCommand = {
    /** `--model FILE`: module states for this base model (loads it). */
    modelPath?: string;
    /** `--mode`: whose modules count, each task's own (dynamic) or the shared LoRA (static). */
    mode: "dynamic" | "static";
};

export const TaskListCommand: CliCommand<TaskListCommand> = {
    command: ["task", "list"],
    description: "List the tasks in arrival order with their sample counts and module state (ready, stale, missing, untrained).",
    options: {
        model: {type: "string", short: "m", valueName: "FILE", description: "Give the module states for this base model (.gguf; loads it). Defaults to the base model the store last trained a task on."},
        mode: {type: "string", valueName: "MODE", description: "dynamic or static: whose modules count. Defaults to dynamic."}
    },
    parse(values) {
        return {modelPath: getStringOption(values, "model"), mode: getModeOption(values) ?? "dynamic"};
    },
    async run(args, context) {
        const statuses = args.modelPath === undefined
            // A module of another base model is stale for this one; without --model, judge by the last base model trained on.
            ? await withStore(context, (store) => getTaskModuleStates(store, {mode: args.mode}))
            : await withModelServices(context, args.modelPath, async ({store, engine}) => {
                // Only the fingerprint is needed: the CPU and the engine's default threads load it fastest.
                const {fingerprint} = await engine.load({modelPath: args.modelPath!, gpuLayers: 0, threads: 0}, {signal: context.signal});
                return getTaskModuleStates(store, {mode: args.mode, baseModelFingerprint: fingerprint});
            });
        const rows = statuses.map(toRow);
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

/** A task's fields with its counts and module columns (`baseModels`: how many base models have a module for it). */
function toRow({task, trainSamples, testSamples, state, reason, module, otherBaseModels}: TaskModuleStatus) {
    return {...task, train: trainSamples, test: testSamples, module: state, reason: reason ?? null, baseModels: (module === null ? 0 : 1) + otherBaseModels.length};
}
