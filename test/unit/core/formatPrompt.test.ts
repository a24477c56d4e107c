import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {createChatPromptTemplate, formatPrompt, plainPromptTemplate} from "../../../src/core/formatPrompt";

describe("formatPrompt", () => {
    test("the plain template puts the instruction, the input and the answer cue on their own lines", () => {
        assert.equal(formatPrompt({instruction: "Classify this log line", input: "disk full"}), "Classify this log line\nInput: disk full\nAnswer:");
    });

    test("single-LoRA prompts carry no instruction", () => {
        assert.equal(formatPrompt({input: "disk full"}), "Input: disk full\nAnswer:");
        assert.equal(formatPrompt({instruction: "", input: "x"}), plainPromptTemplate({instruction: null, input: "x"}));
    });

    test("long inputs keep their head so the instruction survives left truncation", () => {
        const prompt = formatPrompt({instruction: "Name the language", input: "a".repeat(5000), maxInputChars: 100});
        assert.ok(prompt.startsWith("Name the language\nInput: "));
        assert.equal(prompt.length, "Name the language\nInput: ".length + 100 + "\nAnswer:".length);
    });

    test("a chat template hook renders one user message", () => {
        const template = createChatPromptTemplate((message) => `<|user|>${message}<|assistant|>`);
        assert.equal(formatPrompt({instruction: "Translate", input: "hola", template}), "<|user|>Translate\n\nhola<|assistant|>");
        assert.equal(formatPrompt({input: "hola", template}), "<|user|>hola<|assistant|>");
    });
});
