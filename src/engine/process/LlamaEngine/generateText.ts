/**
 * Text generation for generate-kind tasks: greedy unless a temperature is given, stopping at an
 * end-of-generation token, a stop string (cut from the text) or `maxTokens`.
 */
import type {LlamaContextSequence, LlamaModel, Token} from "node-llama-cpp";
import {ConpetError} from "../../../vocabulary/errors";
import type {GenerateParams} from "../../../vocabulary/engineProtocol";
import {alignSequence} from "./alignSequence";
import {throwIfAborted} from "./scoreCompletions";
import {tokenizePrompt} from "./tokenizePrompt";

export const defaultMaxTokens = 128;
export const defaultTemperature = 0;
export const defaultStopStrings: readonly string[] = ["\n"];

/**
 * `onToken` gets, after each token, the text that is final so far: the tail that could still turn
 * out to be the start of a stop string, or half of a multi-byte character, is held back.
 */
export async function generateText(sequence: LlamaContextSequence, model: LlamaModel, params: GenerateParams, signal?: AbortSignal, onToken?: (finalText: string) => void): Promise<{text: string; tokens: number}> {
    throwIfAborted(signal);
    const promptTokens = tokenizePrompt(model, params.prompt);
    if (promptTokens.length === 0)
        return {text: "", tokens: 0};
    if (promptTokens.length >= sequence.contextSize)
        throw new ConpetError("SAMPLE_TOO_LONG", `The prompt has ${promptTokens.length} tokens, which fills the context size ${sequence.contextSize}. Shorten the input or load the model with a larger context.`, {data: {tokens: promptTokens.length, contextSize: sequence.contextSize}});

    // Stay inside the context: a context shift would silently drop the start of the prompt.
    const maxTokens = Math.min(params.maxTokens ?? defaultMaxTokens, sequence.contextSize - promptTokens.length);
    const stopStrings = (params.stopStrings ?? defaultStopStrings).filter((stop) => stop !== "");
    const longestStop = Math.max(0, ...stopStrings.map((stop) => stop.length));
    const temperature = params.temperature ?? defaultTemperature;

    const generated: Token[] = [];
    let text = "";
    const pending = await alignSequence(sequence, promptTokens);
    for await (const token of sequence.evaluate(pending, {temperature})) {
        if (model.isEogToken(token))
            break;
        generated.push(token);
        const previousLength = text.length;
        text = model.detokenize(generated);
        const stopAt = findFirstStop(text, stopStrings, Math.max(0, previousLength - longestStop));
        if (stopAt >= 0) {
            text = text.slice(0, stopAt);
            onToken?.(text);
            break;
        }
        onToken?.(getFinalText(text, longestStop));
        if (generated.length >= maxTokens || signal?.aborted)
            break;
    }
    throwIfAborted(signal);
    return {text, tokens: generated.length};
}

function findFirstStop(text: string, stopStrings: readonly string[], from: number): number {
    let first = -1;
    for (const stop of stopStrings) {
        const index = text.indexOf(stop, from);
        if (index >= 0 && (first < 0 || index < first))
            first = index;
    }
    return first;
}

/** `text` without what may still change: a tail shorter than the longest stop string, and a trailing replacement character (half a character so far). */
function getFinalText(text: string, longestStop: number): string {
    const held = text.slice(0, Math.max(0, text.length - Math.max(0, longestStop - 1)));
    return held.replace(/\uFFFD+$/, "");
}
