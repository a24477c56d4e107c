/**
 * Checks a model file before llama.cpp sees it: llama.cpp aborts or fails obscurely on a file that
 * isn't a GGUF model, so the user gets a specific error instead (missing, not GGUF, unsupported).
 */
import {stat} from "node:fs/promises";
import * as nodeLlamaCpp from "node-llama-cpp";
import {readGgufFileInfo, type GgufFileInfo} from "node-llama-cpp";
import {ConpetError, ModelNotFoundError} from "../../vocabulary/errors";
import {getModelFingerprint} from "../../vocabulary/getModelFingerprint";
import {hasGgufMagic} from "../../vocabulary/gguf";

/** The first four bytes of every GGUF file. */

export type ValidatedModelFile = {
    modelPath: string;
    sizeBytes: number;
    architecture: string;
    /** See `getModelFingerprint`. */
    fingerprint: string;
    /** e.g. "F32", "Q8_0": from `general.file_type`, else the type of the token embedding tensor. */
    fileType: string;
    /** Total weights over all tensors. */
    parameters: number;
    fileInfo: GgufFileInfo;
};

/**
 * Throws `MODEL_NOT_FOUND` (no such file), `MODEL_INVALID` (not a GGUF file, or a truncated or
 * unreadable one) or `MODEL_UNSUPPORTED` (an architecture this llama.cpp build doesn't know, or a
 * GGUF that is not a model, such as a LoRA adapter).
 */
export async function validateModelFile(modelPath: string): Promise<ValidatedModelFile> {
    const stats = await stat(modelPath).catch(() => null);
    if (stats === null || !stats.isFile())
        throw new ModelNotFoundError(modelPath);

    if (!await hasGgufMagic(modelPath))
        throw new ConpetError("MODEL_INVALID", `${modelPath} is not a GGUF file (it does not start with "GGUF"). Pick a .gguf model file, or convert the model with llama.cpp's convert_hf_to_gguf.py.`, {data: {modelPath}});

    let fileInfo: GgufFileInfo;
    try {
        fileInfo = await readGgufFileInfo(modelPath, {readTensorInfo: true, logWarnings: false, sourceType: "filesystem"});
    } catch (err) {
        throw new ConpetError("MODEL_INVALID", `${modelPath} is a damaged GGUF file: ${errorMessage(err)}. Download or convert it again.`, {data: {modelPath}, cause: err});
    }

    // node-llama-cpp's reader pads a cut-off header with zeros instead of failing; its end offset tells.
    if (Number(fileInfo.infoEndOffset) > stats.size)
        throw new ConpetError("MODEL_INVALID", `${modelPath} is truncated: its GGUF header alone needs ${Number(fileInfo.infoEndOffset)} bytes, the file has ${stats.size}. Download it again.`, {data: {modelPath}});

    const general = fileInfo.metadata.general as {architecture?: unknown; type?: unknown; file_type?: unknown};
    const architecture = typeof general.architecture === "string" ? general.architecture : "";
    if (general.type === "adapter")
        throw new ConpetError("MODEL_UNSUPPORTED", `${modelPath} is a LoRA adapter, not a base model. Pick the model file itself.`, {data: {modelPath, architecture}});
    if (!getSupportedArchitectures().has(architecture))
        throw new ConpetError("MODEL_UNSUPPORTED", `${modelPath} has the architecture "${architecture}", which this llama.cpp build does not support. Pick a model of a supported architecture (llama, qwen2, phi3, gemma, …).`, {data: {modelPath, architecture}});

    const tensors = fileInfo.fullTensorInfo ?? fileInfo.tensorInfo ?? [];
    // A download cut short still parses (the header is complete) but its last tensors lie past the end.
    const lastTensorStart = tensors.reduce((max, tensor) => tensor.filePart === 1 ? Math.max(max, Number(tensor.fileOffset)) : max, 0);
    if (tensors.length > 0 && lastTensorStart >= stats.size)
        throw new ConpetError("MODEL_INVALID", `${modelPath} is truncated (${stats.size} bytes, but tensor data starts at byte ${lastTensorStart}). Download it again.`, {data: {modelPath}});

    return {
        modelPath,
        sizeBytes: stats.size,
        architecture,
        fingerprint: await getModelFingerprint(modelPath, architecture),
        fileType: resolveFileType(general.file_type, tensors),
        parameters: tensors.reduce((sum, tensor) => sum + tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1), 0),
        fileInfo
    };
}

let supportedArchitectures: Set<string> | undefined;

/** Architectures of the llama.cpp release node-llama-cpp ships (its `GgufArchitectureType` enum). */
function getSupportedArchitectures(): Set<string> {
    // `GgufArchitectureType` is declared as a const enum, which isolatedModules can't inline; the
    // runtime object exists, so read it from the module namespace.
    const enumObject = (nodeLlamaCpp as unknown as {GgufArchitectureType: Record<string, string>}).GgufArchitectureType;
    supportedArchitectures ??= new Set(Object.values(enumObject));
    return supportedArchitectures;
}

function resolveFileType(fileType: unknown, tensors: readonly {name: string; ggmlType: number}[]): string {
    if (typeof fileType === "number") {
        const name = (nodeLlamaCpp.GgufFileType as unknown as Record<number, string | undefined>)[fileType];
        if (name !== undefined)
            return name.replace(/^(ALL|MOSTLY)_/, "");
    }
    const embedding = tensors.find((tensor) => tensor.name === "token_embd.weight") ?? tensors[0];
    if (embedding === undefined)
        return "unknown";
    return (nodeLlamaCpp.GgmlType as unknown as Record<number, string | undefined>)[embedding.ggmlType] ?? "unknown";
}

function errorMessage(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
