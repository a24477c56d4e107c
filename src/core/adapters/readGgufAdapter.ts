import {readFile} from "node:fs/promises";
import {ConpetError} from "../../vocabulary/errors";
import {checkLoraPairShape} from "./checkLoraPairShape";
import {bytesPerElement, decodeFloats, type FloatEncoding} from "./decodeFloats";
import {readGgufHeader, type GgufTensorHeader} from "./gguf/readGgufHeader";
import type {BaseModelInfo, LoraAdapter, LoraPair} from "./types";

/** ggml type ids of the float types read here. */
const ggmlFloatTypes = new Map<number, FloatEncoding>([[0, "F32"], [1, "F16"], [30, "BF16"]]);

/**
 * Reads and checks a llama.cpp GGUF LoRA adapter against the base model: `general.type = adapter`,
 * `adapter.type = lora`, the base's architecture, `<tensor>.lora_a`/`.lora_b` pairs of the base's
 * shapes in F32, F16 or BF16, all data inside the file; the tensors are returned as F32. Throws
 * `ADAPTER_INVALID` and `ADAPTER_MISMATCH`.
 */
export async function readGgufAdapter(filePath: string, base: BaseModelInfo): Promise<LoraAdapter> {
    const invalid = (reason: string) => new ConpetError("ADAPTER_INVALID", `${filePath} ${reason}`, {data: {filePath}});
    const header = await readGgufHeader(filePath).catch(() => {
        throw invalid("is not a GGUF file (or its header is damaged). Import a llama.cpp LoRA adapter (.gguf) or a PEFT adapter folder.");
    });
    const {metadata} = header;
    if (metadata["general.type"] !== "adapter")
        throw invalid("is a model, not a LoRA adapter (its general.type is not \"adapter\").");
    if (metadata["adapter.type"] !== "lora")
        throw invalid(`is a ${JSON.stringify(metadata["adapter.type"] ?? "unknown")} adapter, not a LoRA adapter.`);
    const architecture = metadata["general.architecture"];
    if (architecture !== base.architecture)
        throw new ConpetError("ADAPTER_MISMATCH", `${filePath} is an adapter for the ${JSON.stringify(architecture)} architecture, but the base model ${base.modelPath} is ${JSON.stringify(base.architecture)}.`, {data: {filePath, adapter: architecture, base: base.architecture}});
    const alphaValue = metadata["adapter.lora.alpha"];
    const alpha = typeof alphaValue === "number" && Number.isFinite(alphaValue) && alphaValue > 0 ? alphaValue : 0;

    const halves = new Map<string, {a?: GgufTensorHeader; b?: GgufTensorHeader}>();
    for (const tensor of header.tensors) {
        const match = /^(.+)\.lora_([ab])$/.exec(tensor.name);
        if (match === null)
            throw invalid(`has the tensor ${tensor.name}, which is not half of a LoRA pair (<tensor>.lora_a / .lora_b); such adapters are not supported.`);
        const [, target, part] = match as unknown as [string, string, "a" | "b"];
        if (target === "token_embd.weight")
            throw invalid("adapts the token embeddings, which ConPET does not import. Train the adapter without embed_tokens.");
        const entry = halves.get(target) ?? {};
        entry[part] = tensor;
        halves.set(target, entry);
    }
    if (halves.size === 0)
        throw invalid("has no LoRA tensors.");

    const file = await readFile(filePath);
    const pairs: LoraPair[] = [];
    for (const [target, {a, b}] of halves) {
        if (a === undefined || b === undefined)
            throw invalid(`has ${target}.lora_${a === undefined ? "b" : "a"} without its other half.`);
        if (a.dimensions.length !== 2 || b.dimensions.length !== 2 || a.dimensions[1] !== b.dimensions[0])
            throw invalid(`has a LoRA pair of ${target} with shapes ${JSON.stringify(a.dimensions)} and ${JSON.stringify(b.dimensions)}, which do not chain (lora_a [n_in, r], lora_b [r, n_out]).`);
        const [nIn, rank] = a.dimensions as [number, number];
        const nOut = b.dimensions[1]!;
        checkLoraPairShape({target, rank, nIn, nOut}, base, filePath);
        const [aData, bData] = [a, b].map((tensor) => {
            const encoding = ggmlFloatTypes.get(tensor.type);
            if (encoding === undefined)
                throw invalid(`stores ${tensor.name} with ggml type ${tensor.type}; import adapters in F32, F16 or BF16.`);
            const end = tensor.offset + tensor.dimensions.reduce((product, dim) => product * dim, 1) * bytesPerElement[encoding];
            if (end > file.length)
                throw invalid(`is truncated: ${tensor.name} ends at byte ${end}, the file has ${file.length}.`);
            return decodeFloats(file.subarray(tensor.offset, end), encoding);
        }) as [Float32Array, Float32Array];
        pairs.push({target, rank, nIn, nOut, a: aData, b: bData});
    }
    return {architecture: base.architecture, alpha, pairs};
}
