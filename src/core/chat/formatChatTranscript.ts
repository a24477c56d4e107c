/**
 * A conversation as one prompt for the plain base model: `User: …` and `Assistant: …` lines ending
 * with `Assistant:`, and the stop string that ends the answer where the model starts the user's
 * next turn. The engine takes plain prompts; a model's own chat template is not applied (the
 * reference model has none), so instruction-tuned models answer a little less well than in their
 * own format.
 */

export type ChatTurn = {role: "user" | "assistant"; text: string};

export type ChatTranscript = {prompt: string; stopStrings: string[]};

const rolePrefixes: Record<ChatTurn["role"], string> = {user: "User:", assistant: "Assistant:"};

export function formatChatTranscript(turns: readonly ChatTurn[]): ChatTranscript {
    const lines = turns
        .filter((turn) => turn.text.trim() !== "")
        .map((turn) => `${rolePrefixes[turn.role]} ${turn.text.trim()}`);
    return {prompt: `${[...lines, rolePrefixes.assistant].join("\n")}`, stopStrings: [`\n${rolePrefixes.user}`]};
}
