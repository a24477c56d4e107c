/**
 * Label scoring: the summed log-probability of each candidate completion's tokens after a prompt.
 * The prompt is evaluated once per item (and its prefix shared with the previous item is reused
 * from the KV cache); the first token of every completion is read from that one distribution; each
 * completion then evaluates only its own tokens after the prompt, erasing the previous one.
 */
import type {LlamaContextSequence, LlamaModel, Token} from "node-llama-cpp";
import {CancelledError, ConpetError, InvalidInputError} from "../../core/errors";
import type {ScoreParams, ScoreResult} from "../protocol";
import {alignSequence} from "./alignSequence";
import {tokenizeCompletion, tokenizePrompt} from "./tokenizePrompt";

/**
 * float32 softmax underflows to 0 for tokens the model all but excludes; their log-probability is
 * floored here (about log of the smallest float32) so scores stay finite and survive JSON.
 */
export const minTokenLogProb = -104;

const withProbabilities = {generateNext: {probabilities: true}} as const;

export async function scoreCompletions(sequence: LlamaContextSequence, model: LlamaModel, items: ScoreParams["items"], signal?: AbortSignal): Promise<ScoreResult> {
    const result: ScoreResult = {logProbs: [], tokenCounts: []};
    for (const [index, item] of items.entries()) {
        throwIfAborted(signal);
        const promptTokens = tokenizePrompt(model, item.prompt);
        if (promptTokens.length === 0)
            throw new InvalidInputError(`score item ${index} has an empty prompt, and this model has no BOS token to condition on.`, {index});
        const completions = item.completions.map((completion) => tokenizeCompletion(model, completion));
        const longest = Math.max(...completions.map((tokens) => tokens.length));
        if (promptTokens.length + longest > sequence.contextSize)
            throw new ConpetError("SAMPLE_TOO_LONG", `score item ${index} needs ${promptTokens.length + longest} tokens, more than the context size ${sequence.contextSize}. Shorten the input or load the model with a larger context.`, {data: {index, tokens: promptTokens.length + longest, contextSize: sequence.contextSize}});

        const pending = await alignSequence(sequence, promptTokens);
        const promptOutput = await sequence.controlledEvaluate([...pending.slice(0, -1), [pending.at(-1)!, withProbabilities]]);
        const firstDistribution = promptOutput.at(-1)?.next.probabilities;
        if (firstDistribution === undefined)
            throw new ConpetError("INTERNAL", "llama.cpp returned no probabilities for the prompt's last token.");

        const logProbs: number[] = [];
        for (const tokens of completions) {
            throwIfAborted(signal);
            if (tokens.length === 0) {
                logProbs.push(0);
                continue;
            }
            let sum = toLogProb(firstDistribution.get(tokens[0]!));
            if (tokens.length > 1) {
                if (sequence.nextTokenIndex > promptTokens.length)
                    await sequence.eraseContextTokenRanges([{start: promptTokens.length, end: sequence.nextTokenIndex}]);
                const outputs = await sequence.controlledEvaluate(tokens.slice(0, -1).map((token): [Token, typeof withProbabilities] => [token, withProbabilities]));
                for (let k = 1; k < tokens.length; k++)
                    sum += toLogProb(outputs[k - 1]?.next.probabilities?.get(tokens[k]!));
            }
            logProbs.push(sum);
        }
        result.logProbs.push(logProbs);
        result.tokenCounts.push(completions.map((tokens) => tokens.length));
    }
    return result;
}

function toLogProb(probability: number | undefined): number {
    return probability === undefined || probability <= 0 ? minTokenLogProb : Math.max(minTokenLogProb, Math.log(probability));
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted)
        throw new CancelledError();
}
