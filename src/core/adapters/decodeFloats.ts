/** Float encodings adapters come in; everything is converted to F32, which llama.cpp adds in anyway. */
export type FloatEncoding = "F32" | "F16" | "BF16" | "F64";

export const bytesPerElement: Record<FloatEncoding, number> = {F32: 4, F16: 2, BF16: 2, F64: 8};

/** Decodes little-endian floats of `encoding` from `bytes` (any alignment) into F32. */
export function decodeFloats(bytes: Uint8Array, encoding: FloatEncoding): Float32Array {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const count = bytes.byteLength / bytesPerElement[encoding];
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
        if (encoding === "F32")
            out[i] = view.getFloat32(i * 4, true);
        else if (encoding === "F64")
            out[i] = view.getFloat64(i * 8, true);
        else if (encoding === "BF16")
            out[i] = bfloat16ToNumber(view.getUint16(i * 2, true));
        else
            out[i] = float16ToNumber(view.getUint16(i * 2, true));
    }
    return out;
}

const bf16Scratch = new DataView(new ArrayBuffer(4));

/** bfloat16 is the upper half of a float32. */
function bfloat16ToNumber(bits: number): number {
    bf16Scratch.setUint32(0, bits << 16);
    return bf16Scratch.getFloat32(0);
}

/** IEEE 754 half precision (Node 20 has no `getFloat16`). */
function float16ToNumber(bits: number): number {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0)
        return sign * 2 ** -14 * (fraction / 1024);
    if (exponent === 0x1f)
        return fraction === 0 ? sign * Infinity : NaN;
    return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
