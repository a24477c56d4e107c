import {Conpet} from "../../core/Conpet/Conpet";
import {InvalidInputError} from "../../vocabulary/errors";
import {readJsonLines} from "../../core/importExport/readJsonLines";
import type {Prediction} from "../../core/strategies/types";
import type {CliCommand} from "../CliCommand";
import {UsageError} from "../UsageError";
import {getStringOption} from "../utils/optionValues";
import {getModelAndModeOptions, withModelServices} from "../utils/withModelServices";

export type PredictCommand = {
    modelPath: string;
    input?: string;
    file?: string;
    task?: string;
    mode?: "dynamic" | "static";
};

export const PredictCommand: CliCommand<PredictCommand> = {
    command: ["predict"],
    description: "Route an input (or every input of a JSONL file) to its task module(s) and answer; --task answers with a named task instead.",
    options: {
        model: {type: "string", short: "m", valueName: "FILE", description: "The base model (.gguf) the modules were trained on. Required."},
        input: {type: "string", valueName: "TEXT", description: "One input to answer."},
        file: {type: "string", valueName: "X.jsonl", description: "Answer every line's \"input\"; prints one JSON object per line."},
        task: {type: "string", valueName: "NAME", description: "Answer with this task (task-aware) instead of routing."},
        mode: {type: "string", valueName: "MODE", description: "dynamic or static: which modules to use. Defaults to dynamic."}
    },
    parse(values) {
        const {modelPath, mode} = getModelAndModeOptions(values);
        const input = getStringOption(values, "input");
        const file = getStringOption(values, "file");
        if ((input === undefined) === (file === undefined))
            throw new UsageError("Give exactly one of --input TEXT and --file X.jsonl.");
        return {modelPath, input, file, task: getStringOption(values, "task"), mode};
    },
    async run(args, context) {
        const lines = args.file === undefined ? [] : await readJsonLines(args.file);
        const inputs = args.input !== undefined ? [{input: args.input}] : lines.map(({line, value}) => {
            const {input, output} = (typeof value === "object" && value !== null ? value : {}) as {input?: unknown; output?: unknown};
            if (typeof input !== "string" || input.trim() === "")
                throw new InvalidInputError(`${args.file}:${line}: expected an object with a non-empty string "input".`, {file: args.file, line});
            return {input, expected: typeof output === "string" ? output : undefined};
        });
        const predictions = await withModelServices(context, args.modelPath, async ({store, engine, trainer}) => {
            const conpet = await Conpet.create({store, engine, trainer, settings: {modelPath: args.modelPath, mode: args.mode}, onLog: context.log});
            try {
                if (args.task === undefined)
                    return await conpet.predictMany(inputs.map((i) => i.input), {signal: context.signal});
                const task = await store.getTask(args.task);
                const answers: Prediction[] = [];
                for (const {input} of inputs)
                    answers.push(await conpet.runTask(task, input, {signal: context.signal}));
                return answers;
            } finally {
                conpet.dispose();
            }
        });
        const rows = predictions.map((p, i) => ({
            input: inputs[i]!.input,
            output: p.output,
            task: p.task,
            confidence: p.confidence,
            routes: p.routes.map((r) => ({task: r.task, probability: r.probability})),
            ...("expected" in inputs[i]! && inputs[i]!.expected !== undefined ? {expected: inputs[i]!.expected, correct: p.output === inputs[i]!.expected} : {})
        }));
        if (args.file !== undefined || context.json) {
            for (const row of rows)
                context.print(JSON.stringify(row));
            const scored = rows.filter((r) => "correct" in r);
            if (scored.length > 0)
                context.log(`accuracy ${(scored.filter((r) => r.correct).length / scored.length * 100).toFixed(1)} % on ${scored.length} inputs with an expected output`);
            return;
        }
        const row = rows[0]!;
        context.print(row.output);
        context.log(`task ${row.task ?? "?"}, confidence ${row.confidence.toFixed(3)}${row.routes.length > 0 ? `, routes ${row.routes.map((r) => `${r.task} ${r.probability.toFixed(3)}`).join(", ")}` : ""}`);
    }
};
