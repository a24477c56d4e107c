import type {LlamaContextSequence, Token} from "node-llama-cpp";

/**
 * Prepares `sequence` to evaluate `tokens`, keeping the longest prefix already in its KV cache
 * (the task instruction shared by consecutive prompts is evaluated once), and returns the tokens
 * still to evaluate. The last token is always re-evaluated, because its logits are needed and
 * llama.cpp only keeps the logits of the latest batch.
 */
export async function alignSequence(sequence: LlamaContextSequence, tokens: readonly Token[]): Promise<Token[]> {
    const {firstDifferentIndex} = sequence.compareContextTokens(tokens as Token[]);
    const keep = Math.max(0, Math.min(firstDifferentIndex, tokens.length - 1));
    if (keep < sequence.nextTokenIndex)
        await sequence.eraseContextTokenRanges([{start: keep, end: sequence.nextTokenIndex}]);
    return tokens.slice(keep);
}
