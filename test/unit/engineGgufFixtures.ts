/**
 * Writes small GGUF files for engine tests: node-llama-cpp reads GGUF but has no writer. Used for
 * files the validator must reject (a LoRA adapter, an unknown architecture, a truncated model) and
 * for LoRA adapters over the reference model (zero B = exactly the base model).
 */
import {writeFile} from "node:fs/promises";

type GgufValue = {type: "string"; value: string} | {type: "f32"; value: number} | {type: "u32"; value: number};
export type GgufTensor = {name: string; /** ggml order: ne[0] (the fastest dimension) first. */ dimensions: number[]; data: Float32Array};

const alignment = 32;
const ggufTypes = {u32: 4, f32: 6, string: 8} as const;
const ggmlTypeF32 = 0;

/** GGUF v3 with the given metadata and F32 tensors. */
export function encodeGguf(metadata: Record<string, GgufValue>, tensors: GgufTensor[] = []): Buffer {
    const parts: Buffer[] = [];
    const u32 = (value: number): Buffer => {
        const buffer = Buffer.alloc(4);
        buffer.writeUInt32LE(value);
        return buffer;
    };
    const u64 = (value: number): Buffer => {
        const buffer = Buffer.alloc(8);
        buffer.writeBigUInt64LE(BigInt(value));
        return buffer;
    };
    const str = (value: string): Buffer => {
        const bytes = Buffer.from(value, "utf8");
        return Buffer.concat([u64(bytes.length), bytes]);
    };

    parts.push(Buffer.from("GGUF", "ascii"), u32(3), u64(tensors.length), u64(Object.keys(metadata).length));
    for (const [key, entry] of Object.entries(metadata)) {
        parts.push(str(key), u32(ggufTypes[entry.type]));
        if (entry.type === "string")
            parts.push(str(entry.value));
        else if (entry.type === "u32")
            parts.push(u32(entry.value));
        else {
            const buffer = Buffer.alloc(4);
            buffer.writeFloatLE(entry.value);
            parts.push(buffer);
        }
    }
    let offset = 0;
    const offsets: number[] = [];
    for (const tensor of tensors) {
        offsets.push(offset);
        parts.push(str(tensor.name), u32(tensor.dimensions.length), ...tensor.dimensions.map(u64), u32(ggmlTypeF32), u64(offset));
        offset = alignUp(offset + tensor.data.byteLength);
    }
    const header = Buffer.concat(parts);
    const data = Buffer.alloc(offset);
    tensors.forEach((tensor, index) => Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).copy(data, offsets[index]));
    return Buffer.concat([header, Buffer.alloc(alignUp(header.length) - header.length), data]);
}

export type LoraFixtureOptions = {
    /** Shapes of the base model's projection weights, `ne` order, by tensor name (e.g. `blk.0.attn_q.weight`). */
    targets: Record<string, number[]>;
    rank: number;
    alpha: number;
    /** Value generator for A (random init in training). */
    a: () => number;
    /** Value generator for B (zeros in a fresh adapter). */
    b: () => number;
};

/** A LoRA adapter GGUF in the layout llama.cpp loads (see DESIGN.md: lora_a `[n_in, r]`, lora_b `[r, n_out]`). */
export async function writeLoraAdapter(filePath: string, {targets, rank, alpha, a, b}: LoraFixtureOptions): Promise<void> {
    const tensors: GgufTensor[] = [];
    for (const [name, [nIn, nOut]] of Object.entries(targets)) {
        const base = name.replace(/\.weight$/, "");
        tensors.push({name: `${base}.weight.lora_a`, dimensions: [nIn!, rank], data: Float32Array.from({length: nIn! * rank}, a)});
        tensors.push({name: `${base}.weight.lora_b`, dimensions: [rank, nOut!], data: Float32Array.from({length: rank * nOut!}, b)});
    }
    await writeFile(filePath, encodeGguf({
        "general.architecture": {type: "string", value: "llama"},
        "general.type": {type: "string", value: "adapter"},
        "adapter.type": {type: "string", value: "lora"},
        "adapter.lora.alpha": {type: "f32", value: alpha}
    }, tensors));
}

/** A deterministic pseudo-random generator (mulberry32) in [-scale, scale]. */
export function createSeededUniform(seed: number, scale: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
    };
}

function alignUp(value: number): number {
    return Math.ceil(value / alignment) * alignment;
}
