import type {LabelScoring} from "../../settings/conpetSettingsSchema";
import type {CoreEngine} from "../../dependencyTypes";
import {formatCompletion} from "../../formatPrompt";
import {softmax} from "../../Selector/LogisticRegression";

/**
 * Scores every label after every prompt with one adapter (engine `score`): summed log-probability
 * of the label's tokens, or its mean per token (`mean` keeps long labels from losing to short
 * ones that are their prefix, e.g. `c` against `cpp`).
 */
export async function scoreLabels(engine: CoreEngine, options: {
    prompts: readonly string[];
    labels: readonly string[];
    adapterPath?: string;
    scoring: LabelScoring;
    signal?: AbortSignal;
    batchSize?: number;
}): Promise<number[][]> {
    const {prompts, labels, adapterPath, scoring, signal, batchSize = 32} = options;
    const result: number[][] = [];
    for (let i = 0; i < prompts.length; i += batchSize) {
        const items = prompts.slice(i, i + batchSize).map((prompt) => ({prompt, completions: labels.map(formatCompletion)}));
        const {logProbs, tokenCounts} = await engine.score(
            adapterPath === undefined ? {items} : {items, adapters: [{filePath: adapterPath, scale: 1}]},
            {signal}
        );
        logProbs.forEach((row, r) => result.push(row.map((logProb, j) => (
            scoring === "mean" ? logProb / Math.max(1, tokenCounts[r]?.[j] ?? 1) : logProb
        ))));
    }
    return result;
}

/** Softmax of the scores: how sure the model is of its best label among the candidates. */
export function getLabelProbabilities(scores: readonly number[]): number[] {
    return softmax(scores);
}
