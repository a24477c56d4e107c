/** Small files for the adapter tests: a llama-shaped base model (header and zero weights) and PEFT adapter folders. */
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {writeSafetensors} from "../../../src/core/adapters/safetensors/writeSafetensors";
import {encodeGguf} from "../engineGgufFixtures";

/** 2 heads of 4 over 8 features, 1 key-value head, one block, 16 tokens. */
export const fakeBase = {nEmbd: 8, headCount: 2, headCountKv: 1, headDim: 4, vocab: 16} as const;

export async function writeFakeBaseModel(filePath: string, architecture = "llama"): Promise<void> {
    const {nEmbd, headCount, headCountKv, headDim, vocab} = fakeBase;
    const tensor = (name: string, nIn: number, nOut: number) => ({name, dimensions: [nIn, nOut], data: new Float32Array(nIn * nOut)});
    await writeFile(filePath, encodeGguf({
        "general.architecture": {type: "string", value: architecture},
        "general.name": {type: "string", value: "fake"},
        [`${architecture}.attention.head_count`]: {type: "u32", value: headCount},
        [`${architecture}.attention.head_count_kv`]: {type: "u32", value: headCountKv}
    }, [
        tensor("blk.0.attn_q.weight", nEmbd, headCount * headDim),
        tensor("blk.0.attn_k.weight", nEmbd, headCountKv * headDim),
        tensor("blk.0.attn_v.weight", nEmbd, headCountKv * headDim),
        tensor("blk.0.attn_output.weight", headCount * headDim, nEmbd),
        tensor("output.weight", nEmbd, vocab)
    ]));
}

export type PeftFixtureTensor = {shape: number[]; data: Float32Array};

/** A PEFT adapter folder as `save_pretrained` writes it. */
export async function writePeftFolder(folder: string, config: Record<string, unknown>, tensors: Record<string, PeftFixtureTensor>): Promise<string> {
    await mkdir(folder, {recursive: true});
    await writeFile(path.join(folder, "adapter_config.json"), JSON.stringify({peft_type: "LORA", ...config}));
    await writeSafetensors(path.join(folder, "adapter_model.safetensors"), new Map(Object.entries(tensors)));
    return folder;
}

/** `[0, 1, 2, …]` of `length`, plus `start`: every value distinct, so a reordering shows. */
export function createCountingData(length: number, start = 0): Float32Array {
    return Float32Array.from({length}, (_, i) => start + i);
}
