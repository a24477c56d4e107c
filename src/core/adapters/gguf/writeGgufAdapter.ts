import {writeFile} from "node:fs/promises";

export type GgufAdapterTensor = {
    name: string;
    /** ggml order (`[n_in, r]` for `lora_a`, `[r, n_out]` for `lora_b`). */
    dimensions: number[];
    data: Float32Array;
};

export type GgufAdapterContent = {
    /** `general.architecture`, the base model's. */
    architecture: string;
    /** `adapter.lora.alpha`: llama.cpp scales each pair by alpha / rank. */
    alpha: number;
    tensors: GgufAdapterTensor[];
};

const ggufVersion = 3;
const alignment = 32;
const valueTypeF32 = 6;
const valueTypeString = 8;
const ggmlTypeF32 = 0;

/**
 * Writes a LoRA adapter in the GGUF layout llama.cpp loads (`general.type = adapter`,
 * `adapter.type = lora`, F32 tensors, data aligned to 32 bytes). No npm library writes GGUF
 * tensors (`@huggingface/gguf` serialises metadata only), and this subset is a few dozen lines.
 */
export async function writeGgufAdapter(filePath: string, {architecture, alpha, tensors}: GgufAdapterContent): Promise<void> {
    const header = new ByteWriter();
    header.u32(0x46554747); // "GGUF" read as a little-endian u32
    header.u32(ggufVersion);
    header.u64(tensors.length);
    const metadata: [string, string | number][] = [
        ["general.type", "adapter"],
        ["general.architecture", architecture],
        ["adapter.type", "lora"],
        ["adapter.lora.alpha", alpha]
    ];
    header.u64(metadata.length);
    for (const [key, value] of metadata) {
        header.string(key);
        if (typeof value === "string") {
            header.u32(valueTypeString);
            header.string(value);
        } else {
            header.u32(valueTypeF32);
            header.f32(value);
        }
    }
    const offsets: number[] = [];
    let dataSize = 0;
    for (const tensor of tensors) {
        offsets.push(dataSize);
        header.string(tensor.name);
        header.u32(tensor.dimensions.length);
        for (const dimension of tensor.dimensions)
            header.u64(dimension);
        header.u32(ggmlTypeF32);
        header.u64(dataSize);
        dataSize = alignUp(dataSize + tensor.data.byteLength);
    }
    const head = header.toBuffer();
    const data = Buffer.alloc(dataSize);
    tensors.forEach((tensor, index) => Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).copy(data, offsets[index]));
    await writeFile(filePath, Buffer.concat([head, Buffer.alloc(alignUp(head.length) - head.length), data]));
}

function alignUp(value: number): number {
    return Math.ceil(value / alignment) * alignment;
}

class ByteWriter {
    private readonly _parts: Buffer[] = [];

    public u32(value: number): void {
        const buffer = Buffer.alloc(4);
        buffer.writeUInt32LE(value);
        this._parts.push(buffer);
    }

    public u64(value: number): void {
        const buffer = Buffer.alloc(8);
        buffer.writeBigUInt64LE(BigInt(value));
        this._parts.push(buffer);
    }

    public f32(value: number): void {
        const buffer = Buffer.alloc(4);
        buffer.writeFloatLE(value);
        this._parts.push(buffer);
    }

    public string(value: string): void {
        const bytes = Buffer.from(value, "utf8");
        this.u64(bytes.length);
        this._parts.push(bytes);
    }

    public toBuffer(): Buffer {
        return Buffer.concat(this._parts);
    }
}
