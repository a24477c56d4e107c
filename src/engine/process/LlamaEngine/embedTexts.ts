/**
 * The selector's input: the base model's last hidden states (after the final norm), mean-pooled
 * over the text's tokens (BOS included) and L2-normalised.
 *
 * node-llama-cpp's `getEmbeddingFor` returns llama.cpp's pooled embedding when the context pools,
 * and otherwise (a generative llama has no `pooling_type`, so NONE) the last token's hidden state.
 * The engine loads the model with a `pooling_type = mean` metadata override, so the embedding
 * context pools the mean; the model test checks it against the mean of per-prefix last-token states.
 */
import type {LlamaEmbeddingContext, LlamaModel} from "node-llama-cpp";
import type {EngineMethods} from "../../../vocabulary/engineProtocol";
import {throwIfAborted} from "./scoreCompletions";
import {tokenizePrompt} from "./tokenizePrompt";

export async function embedTexts(context: LlamaEmbeddingContext, model: LlamaModel, texts: readonly string[], contextSize: number, signal?: AbortSignal, onTextDone?: () => void): Promise<EngineMethods["embed"]["result"]> {
    // getEmbeddingFor refuses inputs that fill the context (and may append an end token): keep the
    // head of long texts, where a selection's kind usually shows.
    const maxTokens = Math.max(1, contextSize - 2);
    const vectors: number[][] = [];
    const tokenCounts: number[] = [];
    for (const text of texts) {
        throwIfAborted(signal);
        // Plain text, no special-token parsing: user text must not turn into control tokens.
        const tokens = tokenizePrompt(model, "" /* just the BOS, if any */).concat(model.tokenize(text, false)).slice(0, maxTokens);
        tokenCounts.push(tokens.length);
        if (tokens.length === 0) {
            vectors.push(new Array<number>(model.embeddingVectorSize).fill(0));
            continue;
        }
        const embedding = await context.getEmbeddingFor(tokens);
        vectors.push(normalize(embedding.vector));
        onTextDone?.();
    }
    return {vectors, tokenCounts};
}

function normalize(vector: readonly number[]): number[] {
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    return norm === 0 ? [...vector] : vector.map((value) => value / norm);
}
