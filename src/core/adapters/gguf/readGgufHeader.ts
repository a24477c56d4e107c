import {open} from "node:fs/promises";
import {ggufMagic} from "../../../vocabulary/gguf";

/** One tensor of a GGUF file, as its header describes it. */
export type GgufTensorHeader = {
    name: string;
    /** ggml order: `ne[0]`, the fastest-varying dimension, first. */
    dimensions: number[];
    /** The ggml type id (0 = F32, 1 = F16, 30 = BF16, others quantized). */
    type: number;
    /** Absolute byte offset of the tensor's data in the file. */
    offset: number;
};

export type GgufHeader = {
    /** Scalar values by key; arrays (vocabularies, per-layer values) are skipped and absent. */
    metadata: Record<string, string | number | boolean>;
    tensors: GgufTensorHeader[];
};

const defaultAlignment = 32;
const firstReadBytes = 1024 * 1024;

/**
 * Reads a GGUF file's metadata and tensor table, not its tensor data (a base model may be
 * gigabytes). node-llama-cpp's reader belongs to the engine process, and `@huggingface/gguf`
 * pulls `@huggingface/tasks` into the bundle (+360 KB, more than the whole extension before it);
 * the part of the format read here is this small. Throws an `Error` saying what is wrong for
 * anything that is not a whole GGUF v2/v3 header; callers turn it into their own error code.
 */
export async function readGgufHeader(filePath: string): Promise<GgufHeader> {
    const file = await open(filePath, "r");
    try {
        const {size} = await file.stat();
        // A vocabulary can make the header megabytes long: read more until it fits.
        for (let length = Math.min(size, firstReadBytes); ; length = Math.min(size, length * 4)) {
            const buffer = Buffer.alloc(length);
            const {bytesRead} = await file.read(buffer, 0, length, 0);
            try {
                return parseGgufHeader(buffer.subarray(0, bytesRead));
            } catch (err) {
                if (!(err instanceof HeaderCutError) || length >= size)
                    throw err instanceof HeaderCutError ? new Error(`the header is cut off at byte ${size} (the file is truncated)`) : err;
            }
        }
    } finally {
        await file.close();
    }
}

class HeaderCutError extends Error {}

function parseGgufHeader(buffer: Buffer): GgufHeader {
    const cursor = new Cursor(buffer);
    if (cursor.bytes(ggufMagic.length).toString("latin1") !== ggufMagic)
        throw new Error("it does not start with \"GGUF\"");
    const version = cursor.u32();
    if (version !== 2 && version !== 3)
        throw new Error(`it is GGUF version ${version}; versions 2 and 3 are read`);
    const tensorCount = cursor.u64();
    const metadataCount = cursor.u64();
    const metadata: GgufHeader["metadata"] = {};
    for (let i = 0; i < metadataCount; i++) {
        const key = cursor.string();
        const value = readValue(cursor, cursor.u32());
        if (value !== undefined)
            metadata[key] = value;
    }
    const infos: {name: string; dimensions: number[]; type: number; relative: number}[] = [];
    for (let i = 0; i < tensorCount; i++) {
        const name = cursor.string();
        const dimensionCount = cursor.u32();
        if (dimensionCount > 4)
            throw new Error(`tensor ${name} has ${dimensionCount} dimensions`);
        const dimensions = Array.from({length: dimensionCount}, () => cursor.u64());
        infos.push({name, dimensions, type: cursor.u32(), relative: cursor.u64()});
    }
    const alignment = typeof metadata["general.alignment"] === "number" && metadata["general.alignment"] > 0 ? metadata["general.alignment"] : defaultAlignment;
    const dataStart = Math.ceil(cursor.position / alignment) * alignment;
    return {metadata, tensors: infos.map(({relative, ...info}) => ({...info, offset: dataStart + relative}))};
}

/** GGUF value type ids: 0–7 and 10–12 are scalars, 8 a string, 9 an array. */
function readValue(cursor: Cursor, type: number): string | number | boolean | undefined {
    switch (type) {
        case 0: return cursor.fixed(1, (b, o) => b.readUInt8(o));
        case 1: return cursor.fixed(1, (b, o) => b.readInt8(o));
        case 2: return cursor.fixed(2, (b, o) => b.readUInt16LE(o));
        case 3: return cursor.fixed(2, (b, o) => b.readInt16LE(o));
        case 4: return cursor.u32();
        case 5: return cursor.fixed(4, (b, o) => b.readInt32LE(o));
        case 6: return cursor.fixed(4, (b, o) => b.readFloatLE(o));
        case 7: return cursor.fixed(1, (b, o) => b.readUInt8(o) !== 0);
        case 8: return cursor.string();
        case 9: {
            const elementType = cursor.u32();
            const count = cursor.u64();
            for (let i = 0; i < count; i++)
                readValue(cursor, elementType);
            return undefined;
        }
        case 10: return cursor.u64();
        case 11: return cursor.fixed(8, (b, o) => Number(b.readBigInt64LE(o)));
        case 12: return cursor.fixed(8, (b, o) => b.readDoubleLE(o));
        default: throw new Error(`it has a metadata value of unknown type ${type}`);
    }
}

class Cursor {
    public position = 0;

    public constructor(private readonly _buffer: Buffer) {}

    public fixed<T>(length: number, read: (buffer: Buffer, offset: number) => T): T {
        if (this.position + length > this._buffer.length)
            throw new HeaderCutError();
        const value = read(this._buffer, this.position);
        this.position += length;
        return value;
    }

    public u32(): number {
        return this.fixed(4, (b, o) => b.readUInt32LE(o));
    }

    public u64(): number {
        const value = this.fixed(8, (b, o) => b.readBigUInt64LE(o));
        if (value > BigInt(Number.MAX_SAFE_INTEGER))
            throw new Error(`it has an impossible count or offset (${value})`);
        return Number(value);
    }

    public bytes(length: number): Buffer {
        return this.fixed(length, (b, o) => b.subarray(o, o + length));
    }

    public string(): string {
        return this.bytes(this.u64()).toString("utf8");
    }
}
