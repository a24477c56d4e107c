/**
 * The paper's selector: a LoRA over the base model, trained (with dynamic replay over all tasks)
 * to answer an input with its task's name; routing scores every task name (engine `score`) and
 * turns the scores into probabilities. Slower to train than the embedding selector (a trainer run
 * per change) and kept behind `selectorKind: "lora"` for comparison.
 */
import type {TrainSample} from "../../vocabulary/trainerProtocol";
import type {CoreEngine} from "../dependencyTypes";
import {formatCompletion, formatPrompt, type PromptTemplate} from "../formatPrompt";
import {getLabelProbabilities, scoreLabels} from "../strategies/utils/scoreLabels";
import type {SelectorRoute, TaskSelector} from "./types";

/** The selector's own instruction: it learns to name the task an input belongs to. */
export const loraSelectorInstruction = "Which task is this?";

export type LoraSelectorOptions = {
    engine: CoreEngine;
    adapterPath: string;
    tasks: readonly {id: number; name: string}[];
    maxInputChars: number;
    template?: PromptTemplate;
};

export class LoraSelector implements TaskSelector {
    public readonly kind = "lora";

    public constructor(private readonly _options: LoraSelectorOptions) {}

    public get taskIds(): readonly number[] {
        return this._options.tasks.map((t) => t.id);
    }

    /** A training sample: the input, answered with its task's name. */
    public static toTrainSample(sample: {taskId: number; input: string}, taskName: string, options: {maxInputChars: number; template?: PromptTemplate}): TrainSample {
        return {
            prompt: formatPrompt({instruction: loraSelectorInstruction, input: sample.input, template: options.template, maxInputChars: options.maxInputChars}),
            completion: formatCompletion(taskName),
            group: sample.taskId
        };
    }

    public async route(inputs: readonly string[], {topK, signal}: {topK: number; signal?: AbortSignal}): Promise<SelectorRoute[][]> {
        const {engine, adapterPath, tasks, maxInputChars, template} = this._options;
        const prompts = inputs.map((input) => formatPrompt({instruction: loraSelectorInstruction, input, template, maxInputChars}));
        const scores = await scoreLabels(engine, {prompts, labels: tasks.map((t) => t.name), adapterPath, scoring: "mean", signal});
        return scores.map((row) => getLabelProbabilities(row)
            .map((probability, k) => ({taskId: tasks[k]!.id, probability}))
            .sort((a, b) => b.probability - a.probability)
            .slice(0, Math.max(1, topK)));
    }
}
