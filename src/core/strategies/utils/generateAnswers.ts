import type {AdapterRef} from "../../../vocabulary/engineProtocol";
import type {CoreEngine} from "../../dependencyTypes";
import {completionTerminator} from "../../formatPrompt";

/** Greedy generation up to the completion terminator, trimmed. */
export async function generateAnswers(engine: CoreEngine, prompts: readonly string[], options: {adapters: AdapterRef[]; maxTokens: number; signal?: AbortSignal}): Promise<string[]> {
    const answers: string[] = [];
    for (const prompt of prompts) {
        const {text} = await engine.generate({prompt, adapters: options.adapters, maxTokens: options.maxTokens, temperature: 0, stopStrings: [completionTerminator]}, {signal: options.signal});
        answers.push(text.trim());
    }
    return answers;
}
