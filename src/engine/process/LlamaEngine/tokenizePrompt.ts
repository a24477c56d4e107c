import type {LlamaModel, Token} from "node-llama-cpp";

/**
 * The tokenisation contract shared with the trainer (docs/ARCHITECTURE.md): a prompt gets the BOS
 * token when the vocabulary asks for one and its special-token text is parsed; a completion gets
 * neither, so user text like `</s>` stays literal.
 */
export function tokenizePrompt(model: LlamaModel, prompt: string): Token[] {
    const tokens = model.tokenize(prompt, true);
    const bos = model.tokens.bos;
    return model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos ? [bos, ...tokens] : tokens;
}

/** See `tokenizePrompt`. */
export function tokenizeCompletion(model: LlamaModel, completion: string): Token[] {
    return model.tokenize(completion, false);
}
