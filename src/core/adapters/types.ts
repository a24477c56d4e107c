/** The base model an adapter is checked against and registered for. */
export type BaseModelInfo = {
    modelPath: string;
    architecture: string;
    /** See `getModelFingerprint`: what modules record as `baseModelFingerprint`. */
    fingerprint: string;
    /** `general.name`, if the file has one. */
    name: string | null;
    /** Every tensor's ggml dimensions (`[n_in, n_out]` for a projection), by name. */
    tensorShapes: ReadonlyMap<string, readonly number[]>;
    /** `<arch>.attention.head_count` and `head_count_kv` (the latter defaults to the former). */
    headCount: number | null;
    headCountKv: number | null;
};

/** One adapted base tensor: `delta W = scale · B · A`, in llama.cpp's layout. */
export type LoraPair = {
    /** The base tensor, e.g. `blk.0.attn_q.weight`. */
    target: string;
    rank: number;
    /** Input features (`ne[0]` of the base tensor). */
    nIn: number;
    /** Output features (`ne[1]` of the base tensor). */
    nOut: number;
    /** GGUF `lora_a`, ggml `[n_in, r]`: r rows of n_in values, the same bytes as PEFT's `lora_A` `[r, in]`. */
    a: Float32Array;
    /** GGUF `lora_b`, ggml `[r, n_out]`: n_out rows of r values, the same bytes as PEFT's `lora_B` `[out, r]`. */
    b: Float32Array;
};

/** A LoRA adapter in llama.cpp's layout, ready to be written as GGUF or converted to PEFT. */
export type LoraAdapter = {
    architecture: string;
    /** llama.cpp scales each pair by `alpha / rank`; 0 means a scale of 1 (no alpha). */
    alpha: number;
    pairs: LoraPair[];
};
