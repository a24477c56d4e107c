/**
 * The one place where a task's instruction and an input become a prompt. Training (trainer
 * samples) and inference (engine `score` / `generate`) both call it, so the model always sees
 * the same text at both times; the completion is the label or expected output, unchanged.
 */
import {defaultConpetSettings} from "./settings/conpetSettingsSchema";

/** Turns the parts of a prompt into text. Lets a caller plug in a model's chat template. */
export type PromptTemplate = (parts: {instruction: string | null; input: string}) => string;

export type FormatPromptOptions = {
    /**
     * The task's instruction. `null` for the single-LoRA modes (static, sequential, joint), whose
     * prompt carries no task (evaluation is task-agnostic). Defaults to `null`.
     */
    instruction?: string | null;
    input: string;
    /** Defaults to `plainPromptTemplate`, for models without a chat template (the reference model has none). */
    template?: PromptTemplate;
    /**
     * Inputs longer than this many characters keep their head only: the trainer truncates long
     * sequences from the left, which would cut the instruction off. Defaults to `defaultMaxInputChars`.
     */
    maxInputChars?: number;
};

/** The `maxInputChars` setting's default (see `conpetSettingsSchema`). */
export const defaultMaxInputChars = defaultConpetSettings.maxInputChars;

/**
 * `Instruction\nInput: …\nAnswer:`. The completion follows without a space: the tokenizer adds
 * SentencePiece's word-start marker to the completion itself (see the tokenisation contract).
 */
export const plainPromptTemplate: PromptTemplate = ({instruction, input}) => (
    instruction == null || instruction === ""
        ? `Input: ${input}\nAnswer:`
        : `${instruction}\nInput: ${input}\nAnswer:`
);

/**
 * A template for models with a chat template: `render` gets one user message (the instruction and
 * input) and returns the model's formatted prompt up to the start of the assistant's answer, e.g.
 * from node-llama-cpp's chat wrapper in the engine process.
 */
export function createChatPromptTemplate(render: (userMessage: string) => string): PromptTemplate {
    return ({instruction, input}) => render(instruction == null || instruction === "" ? input : `${instruction}\n\n${input}`);
}

export function formatPrompt({instruction = null, input, template = plainPromptTemplate, maxInputChars = defaultMaxInputChars}: FormatPromptOptions): string {
    const clipped = input.length > maxInputChars ? input.slice(0, maxInputChars) : input;
    return template({instruction, input: clipped});
}

/**
 * Ends every completion the model learns and every label it is scored on. A newline, because the
 * trainer does not teach end-of-sequence (measured: the EOS target stays at ~5.4 nats however long
 * it trains, so generation never stopped); generation stops at it instead. It also stops a label
 * from scoring as the prefix of a longer one (`c` against `cpp`). Outputs are therefore one line.
 */
export const completionTerminator = "\n";

/** The completion text for an answer (label or expected output). */
export function formatCompletion(output: string): string {
    return `${output}${completionTerminator}`;
}
