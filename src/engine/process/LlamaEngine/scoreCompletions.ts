/**
 * Label scoring: the summed log-probability of each candidate completion's tokens after a prompt.
 * The prompt is evaluated once per item (and its prefix shared with the previous item on the same
 * sequence is reused from the KV cache); the first token of every completion is read from that one
 * distribution; each completion then evaluates only its own tokens after the prompt, erasing the
 * previous one. Items are spread over the context's sequences, whose evaluations node-llama-cpp
 * batches into shared decodes.
 */
import type {LlamaContextSequence, LlamaModel, Token} from "node-llama-cpp";
import {CancelledError, ConpetError, InvalidInputError} from "../../../vocabulary/errors";
import type {ScoreParams, ScoreResult} from "../../../vocabulary/engineProtocol";
import {alignSequence} from "./alignSequence";
import {tokenizeCompletion, tokenizePrompt} from "./tokenizePrompt";

/**
 * float32 softmax underflows to 0 for tokens the model all but excludes; their log-probability is
 * floored here (about log of the smallest float32) so scores stay finite and survive JSON.
 */
export const minTokenLogProb = -104;

const withProbabilities = {generateNext: {probabilities: true}} as const;

type ScoreItem = ScoreParams["items"][number];

/** `onItemDone` is called after each item: the client's timeout follows it, so a long batch lives as long as it advances. */
export async function scoreCompletions(sequences: readonly LlamaContextSequence[], model: LlamaModel, items: readonly ScoreItem[], signal?: AbortSignal, onItemDone?: () => void): Promise<ScoreResult> {
    const logProbs: number[][] = new Array<number[]>(items.length);
    const tokenCounts: number[][] = new Array<number[]>(items.length);
    let next = 0;
    let failed = false;
    const worker = async (sequence: LlamaContextSequence): Promise<void> => {
        while (!failed && next < items.length) {
            const index = next++;
            throwIfAborted(signal);
            const scored = await scoreItem(sequence, model, items[index]!, index);
            logProbs[index] = scored.logProbs;
            tokenCounts[index] = scored.tokenCounts;
            onItemDone?.();
        }
    };
    // Every worker must have stopped before the sequences serve another request, so wait for all
    // of them even when one fails, and make the others stop early.
    const settled = await Promise.allSettled(sequences.slice(0, Math.max(1, items.length)).map(async (sequence) => {
        try {
            await worker(sequence);
        } catch (err) {
            failed = true;
            throw err;
        }
    }));
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failure !== undefined)
        throw failure.reason;
    return {logProbs, tokenCounts};
}

async function scoreItem(sequence: LlamaContextSequence, model: LlamaModel, item: ScoreItem, index: number): Promise<{logProbs: number[]; tokenCounts: number[]}> {
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
    return {logProbs, tokenCounts: completions.map((tokens) => tokens.length)};
}

function toLogProb(probability: number | undefined): number {
    return probability === undefined || probability <= 0 ? minTokenLogProb : Math.max(minTokenLogProb, Math.log(probability));
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted)
        throw new CancelledError();
}
