import type {TaskKind} from "../../../vocabulary/types";
import type {CliCommand} from "../../CliCommand";
import {UsageError} from "../../UsageError";
import {getPositionals, getRequiredStringOption, getStringListOption, getStringOption} from "../../utils/optionValues";
import {withStore} from "../../utils/withStore";

export type TaskAddCommand = {
    name: string;
    instruction: string;
    kind: TaskKind;
    labels: string[];
};

export const TaskAddCommand: CliCommand<TaskAddCommand> = {
    command: ["task", "add"],
    positionals: "<name>",
    description: "Create a task: a name, an instruction, and labels for a classify task.",
    options: {
        instruction: {type: "string", short: "i", valueName: "TEXT", description: "The instruction placed in the prompt, e.g. \"Classify this log line\". Required."},
        kind: {type: "string", valueName: "KIND", description: "classify or generate. Defaults to classify when labels are given, else generate."},
        label: {type: "string", short: "l", multiple: true, valueName: "LABEL", description: "An allowed answer of a classify task; repeat for each label."}
    },
    parse(values, positionals) {
        const [name] = getPositionals(positionals, ["name"]);
        const instruction = getRequiredStringOption(values, "instruction", "TEXT");
        const labels = getStringListOption(values, "label");
        const kind = getStringOption(values, "kind") ?? (labels.length > 0 ? "classify" : "generate");
        if (kind !== "classify" && kind !== "generate")
            throw new UsageError(`--kind must be "classify" or "generate", not ${JSON.stringify(kind)}.`);
        return {name: name!, instruction, kind, labels};
    },
    async run(args, context) {
        const task = await withStore(context, (store) => store.createTask(args));
        context.print(context.json
            ? JSON.stringify(task)
            : `Created task ${JSON.stringify(task.name)} (id ${task.id}, ${task.kind}${task.labels.length > 0 ? `: ${task.labels.join(", ")}` : ""}).`);
    }
};
