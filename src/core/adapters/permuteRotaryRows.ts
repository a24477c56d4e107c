import {ConpetError} from "../../vocabulary/errors";
import type {BaseModelInfo, LoraPair} from "./types";

/**
 * Hugging Face llama checkpoints order the rows of each attention head of `q_proj` and `k_proj`
 * for rotate-half RoPE (the first half of the head, then the second); llama.cpp's `llama`
 * architecture uses interleaved pairs. `convert_hf_to_gguf.py` reorders those weights
 * (`LlamaModel.permute`: `reshape(heads, 2, headDim / 2, …).swapaxes(1, 2)`), and for a LoRA pair
 * only B carries the output rows. Architectures converted without that permutation (qwen2, qwen3,
 * gemma) keep the Hugging Face order.
 */

/** GGUF architectures whose q/k rows llama.cpp's converter permutes. */
const permutedArchitectures: ReadonlySet<string> = new Set(["llama"]);

function hasPermutedRotaryRows(architecture: string): boolean {
    return permutedArchitectures.has(architecture);
}

/**
 * Reorders the rows of B (`rows` rows of `rowLength` values, row-major: a PEFT `lora_B` or a GGUF
 * `lora_b`) from the Hugging Face order to llama.cpp's (`toGguf`) or back. `heads` is the number of
 * heads the rows cover: the attention heads for q, the key-value heads for k.
 */
export function permuteRotaryRows(b: Float32Array, rows: number, rowLength: number, heads: number, direction: "toGguf" | "toHf"): Float32Array {
    const headDim = rows / heads;
    if (!Number.isInteger(headDim) || headDim % 2 !== 0)
        throw new Error(`${rows} rows do not split into ${heads} heads of an even size`);
    const half = headDim / 2;
    const out = new Float32Array(b.length);
    for (let head = 0; head < heads; head++)
        for (let pair = 0; pair < half; pair++)
            for (let side = 0; side < 2; side++) {
                // Hugging Face row head·d + side·d/2 + pair is llama.cpp row head·d + pair·2 + side.
                const hfRow = head * headDim + side * half + pair;
                const ggufRow = head * headDim + pair * 2 + side;
                const [from, to] = direction === "toGguf" ? [hfRow, ggufRow] : [ggufRow, hfRow];
                out.set(b.subarray(from * rowLength, (from + 1) * rowLength), to * rowLength);
            }
    return out;
}

/**
 * B of a LoRA pair in the other row order when llama.cpp's converter permutes its base tensor
 * (q and k of a `llama` model), else B itself. Throws `MODEL_UNSUPPORTED` when the base model
 * does not state the head counts the permutation needs.
 */
export function reorderRotaryRowsOfB(pair: Pick<LoraPair, "target" | "nOut" | "rank" | "b">, base: BaseModelInfo, direction: "toGguf" | "toHf"): Float32Array {
    const kind = /\.attn_([qk])\.weight$/.exec(pair.target)?.[1];
    if (kind === undefined || !hasPermutedRotaryRows(base.architecture))
        return pair.b;
    const heads = kind === "q" ? base.headCount : base.headCountKv;
    if (heads === null)
        throw new ConpetError("MODEL_UNSUPPORTED", `The base model ${base.modelPath} does not state its attention head counts, which converting the LoRA pair of ${pair.target} needs.`, {data: {target: pair.target}});
    return permuteRotaryRows(pair.b, pair.nOut, pair.rank, heads, direction);
}
