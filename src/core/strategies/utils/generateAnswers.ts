import type {AdapterRef} from "../../../vocabulary/engineProtocol";
import type {CoreEngine} from "../../dependencyTypes";
import {completionTerminator} from "../../formatPrompt";

/**
 * Greedy generation up to the completion terminator, trimmed. `onText` gets each prompt's answer
 * as it grows (`index` into `prompts`), untrimmed.
 */
export async function generateAnswers(engine: CoreEngine, prompts: readonly string[], options: {adapters: AdapterRef[]; maxTokens: number; signal?: AbortSignal; onText?(index: number, text: string): void}): Promise<string[]> {
    const {onText} = options;
    const answers: string[] = [];
    for (const [index, prompt] of prompts.entries()) {
        const onProgress = onText === undefined ? undefined : (progress: {text?: string}) => {
            if (progress.text !== undefined)
                onText(index, progress.text);
        };
        const {text} = await engine.generate(
            {prompt, adapters: options.adapters, maxTokens: options.maxTokens, temperature: 0, stopStrings: [completionTerminator]},
            {signal: options.signal, onProgress}
        );
        answers.push(text.trim());
    }
    return answers;
}
