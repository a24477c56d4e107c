/** llama.cpp tensor infix ↔ the short target names of `conpet.lora.targetModules` (plus `output`). */
const targetNames: ReadonlyMap<string, string> = new Map([
    ["attn_q", "q"], ["attn_k", "k"], ["attn_v", "v"], ["attn_output", "o"],
    ["ffn_gate", "gate"], ["ffn_up", "up"], ["ffn_down", "down"]
]);

/** `blk.3.attn_q.weight` → `q`, `output.weight` → `output`; other tensors keep their name. */
export function getLoraTargetName(target: string): string {
    if (target === "output.weight")
        return "output";
    const infix = /^blk\.\d+\.([a-z_]+)\.weight$/.exec(target)?.[1];
    return (infix === undefined ? undefined : targetNames.get(infix)) ?? target;
}
