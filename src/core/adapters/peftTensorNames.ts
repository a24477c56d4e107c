/**
 * Tensor names of llama-family models in Hugging Face PEFT adapters and in llama.cpp's GGUF, as
 * llama.cpp's `convert_lora_to_gguf.py` maps them: `…layers.N.self_attn.q_proj.lora_A.weight` ↔
 * `blk.N.attn_q.weight.lora_a`, and `lm_head` ↔ `output`.
 */

/** Hugging Face module path inside a decoder layer ↔ llama.cpp tensor infix. */
const layerModules: readonly (readonly [hf: string, gguf: string])[] = [
    ["self_attn.q_proj", "attn_q"],
    ["self_attn.k_proj", "attn_k"],
    ["self_attn.v_proj", "attn_v"],
    ["self_attn.o_proj", "attn_output"],
    ["mlp.gate_proj", "ffn_gate"],
    ["mlp.up_proj", "ffn_up"],
    ["mlp.down_proj", "ffn_down"]
];

export type LoraPart = "A" | "B";

export type PeftTensorRef = {
    /** The base model tensor it adapts, in GGUF naming (`blk.3.attn_q.weight`, `output.weight`). */
    target: string;
    part: LoraPart;
    /** The module path PEFT's `rank_pattern`/`alpha_pattern` keys match (`model.layers.3.self_attn.q_proj`, `lm_head`). */
    module: string;
};

// PEFT saves `base_model.model.<model's own names>`; some trainers save without the prefix, and a
// saved adapter may keep its adapter name (`lora_A.default.weight`).
const layerPattern = /^(?:base_model\.model\.)?(?:model\.)?layers\.(\d+)\.([a-z_]+\.[a-z_]+)\.lora_([AB])(?:\.[A-Za-z0-9_-]+)?\.weight$/;
const headPattern = /^(?:base_model\.model\.)?lm_head\.lora_([AB])(?:\.[A-Za-z0-9_-]+)?\.weight$/;

/** Maps a PEFT tensor name to its GGUF target, or `undefined` for anything this mapping does not cover. */
export function parsePeftTensorName(name: string): PeftTensorRef | undefined {
    const head = headPattern.exec(name);
    if (head !== null)
        return {target: "output.weight", part: head[1] as LoraPart, module: "lm_head"};
    const layer = layerPattern.exec(name);
    if (layer === null)
        return undefined;
    const [, block, hfModule, part] = layer as unknown as [string, string, string, LoraPart];
    const infix = layerModules.find(([hf]) => hf === hfModule)?.[1];
    return infix === undefined ? undefined : {target: `blk.${block}.${infix}.weight`, part, module: `model.layers.${block}.${hfModule}`};
}

/** The PEFT module path and short name (`q_proj`) of a GGUF target, or `undefined` when it has none. */
export function getPeftModule(target: string): {module: string; name: string} | undefined {
    if (target === "output.weight")
        return {module: "lm_head", name: "lm_head"};
    const match = /^blk\.(\d+)\.([a-z_]+)\.weight$/.exec(target);
    const hfModule = match === null ? undefined : layerModules.find(([, gguf]) => gguf === match[2])?.[0];
    if (match === null || hfModule === undefined)
        return undefined;
    return {module: `model.layers.${match[1]}.${hfModule}`, name: hfModule.slice(hfModule.indexOf(".") + 1)};
}

/** `base_model.model.<module>.lora_A.weight`, as PEFT's `save_pretrained` names it. */
export function formatPeftTensorName(module: string, part: LoraPart): string {
    return `base_model.model.${module}.lora_${part}.weight`;
}

/** PEFT `target_modules` names in the order of a decoder layer (`q_proj` … `down_proj`, then `lm_head`). */
export function sortPeftModuleNames(names: Iterable<string>): string[] {
    const order = [...layerModules.map(([hf]) => hf.slice(hf.indexOf(".") + 1)), "lm_head"];
    return [...new Set(names)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}
