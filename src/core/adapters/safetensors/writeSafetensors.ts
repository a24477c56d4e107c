import {writeFile} from "node:fs/promises";
import type {SafetensorsTensor} from "./readSafetensors";

/**
 * Writes F32 tensors as a `.safetensors` file (see `readSafetensors` for the layout), with
 * `__metadata__.format = "pt"` as PyTorch writers set it. The header is padded with spaces to a
 * multiple of 8 bytes, as the reference writer does, so the data stays aligned.
 */
export async function writeSafetensors(filePath: string, tensors: ReadonlyMap<string, SafetensorsTensor>): Promise<void> {
    const header: Record<string, unknown> = {__metadata__: {format: "pt"}};
    let offset = 0;
    for (const [name, tensor] of tensors) {
        header[name] = {dtype: "F32", shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength]};
        offset += tensor.data.byteLength;
    }
    const json = Buffer.from(JSON.stringify(header), "utf8");
    const padded = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(padded.length));
    const data = [...tensors.values()].map((tensor) => Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    await writeFile(filePath, Buffer.concat([length, padded, ...data]));
}
