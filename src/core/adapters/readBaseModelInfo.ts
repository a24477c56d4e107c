import {stat} from "node:fs/promises";
import {ConpetError, ModelNotFoundError} from "../../vocabulary/errors";
import {getModelFingerprint} from "../../vocabulary/getModelFingerprint";
import {readGgufHeader} from "./gguf/readGgufHeader";
import type {BaseModelInfo} from "./types";

/**
 * Reads what an adapter is checked against from the base model's GGUF header (no weights):
 * architecture, fingerprint, tensor shapes and head counts. Throws `MODEL_NOT_FOUND`,
 * `MODEL_INVALID` (not a GGUF file) or `MODEL_UNSUPPORTED` (a LoRA adapter, not a model).
 */
export async function readBaseModelInfo(modelPath: string): Promise<BaseModelInfo> {
    const stats = await stat(modelPath).catch(() => null);
    if (stats === null || !stats.isFile())
        throw new ModelNotFoundError(modelPath);
    const header = await readGgufHeader(modelPath).catch((err: unknown) => {
        throw new ConpetError("MODEL_INVALID", `${modelPath} is not a readable GGUF model: ${err instanceof Error ? err.message : String(err)}.`, {data: {modelPath}, cause: err});
    });
    const {metadata} = header;
    if (metadata["general.type"] === "adapter")
        throw new ConpetError("MODEL_UNSUPPORTED", `${modelPath} is a LoRA adapter, not a base model. Select the model file itself.`, {data: {modelPath}});
    const architecture = typeof metadata["general.architecture"] === "string" ? metadata["general.architecture"] : "";
    const headCount = readCount(metadata[`${architecture}.attention.head_count`]);
    return {
        modelPath,
        architecture,
        fingerprint: await getModelFingerprint(modelPath, architecture),
        name: typeof metadata["general.name"] === "string" ? metadata["general.name"] : null,
        tensorShapes: new Map(header.tensors.map((tensor) => [tensor.name, tensor.dimensions])),
        headCount,
        headCountKv: readCount(metadata[`${architecture}.attention.head_count_kv`]) ?? headCount
    };
}

/** A count stored as one integer (some architectures store a per-layer array: not read here). */
function readCount(value: unknown): number | null {
    const count = typeof value === "bigint" ? Number(value) : value;
    return typeof count === "number" && Number.isInteger(count) && count > 0 ? count : null;
}
