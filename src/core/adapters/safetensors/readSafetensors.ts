import {readFile} from "node:fs/promises";
import {ConpetError} from "../../../vocabulary/errors";
import {bytesPerElement, decodeFloats, type FloatEncoding} from "../decodeFloats";

export type SafetensorsTensor = {
    /** Row-major (PyTorch) order, outermost first. */
    shape: number[];
    data: Float32Array;
};

/** Header lengths beyond this are not an adapter's (the format's own reader caps it at 100 MB). */
const maxHeaderBytes = 100 * 1024 * 1024;

/**
 * Reads every tensor of a `.safetensors` file as F32. The format is an 8-byte little-endian
 * header length, a JSON header (`{name: {dtype, shape, data_offsets: [begin, end]}}`, plus an
 * optional `__metadata__`), then the raw little-endian data. There is no maintained npm reader
 * (the `safetensors` package is an empty 0.0.1 placeholder), and the format is this small, so it is
 * read here, with every offset checked against the file. Throws `ADAPTER_INVALID`.
 */
export async function readSafetensors(filePath: string): Promise<Map<string, SafetensorsTensor>> {
    const file = await readFile(filePath);
    const invalid = (reason: string) => new ConpetError("ADAPTER_INVALID", `${filePath} is not a valid safetensors file: ${reason}.`, {data: {filePath}});
    if (file.length < 8)
        throw invalid("it is shorter than its 8-byte header length");
    const headerLength = Number(file.readBigUInt64LE(0));
    if (headerLength > maxHeaderBytes || 8 + headerLength > file.length)
        throw invalid(`its header length (${headerLength} bytes) does not fit the file (${file.length} bytes)`);
    let header: unknown;
    try {
        header = JSON.parse(file.subarray(8, 8 + headerLength).toString("utf8"));
    } catch {
        throw invalid("its header is not JSON");
    }
    if (typeof header !== "object" || header === null || Array.isArray(header))
        throw invalid("its header is not a JSON object");

    const data = file.subarray(8 + headerLength);
    const tensors = new Map<string, SafetensorsTensor>();
    for (const [name, entry] of Object.entries(header)) {
        if (name === "__metadata__")
            continue;
        const {dtype, shape, data_offsets: offsets} = (entry ?? {}) as {dtype?: unknown; shape?: unknown; data_offsets?: unknown};
        if (!isFloatEncoding(dtype))
            throw invalid(`tensor ${name} has the dtype ${JSON.stringify(dtype)}; adapters in F32, F16, BF16 or F64 are supported`);
        if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0))
            throw invalid(`tensor ${name} has no valid shape`);
        if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((offset) => Number.isSafeInteger(offset) && offset >= 0))
            throw invalid(`tensor ${name} has no valid data_offsets`);
        const [begin, end] = offsets as [number, number];
        const elements = (shape as number[]).reduce((product, dim) => product * dim, 1);
        if (end > data.length || end - begin !== elements * bytesPerElement[dtype])
            throw invalid(`tensor ${name} (${dtype} ${JSON.stringify(shape)}) does not match its data range ${begin}..${end} of ${data.length} bytes; the file may be truncated`);
        tensors.set(name, {shape: shape as number[], data: decodeFloats(data.subarray(begin, end), dtype)});
    }
    return tensors;
}

function isFloatEncoding(value: unknown): value is FloatEncoding {
    return value === "F32" || value === "F16" || value === "BF16" || value === "F64";
}
