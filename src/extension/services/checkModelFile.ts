import {open} from "node:fs/promises";
import {ConpetError, ModelNotFoundError} from "../../vocabulary/errors";
import {hasGgufMagic} from "../../vocabulary/gguf";

/**
 * A quick check before a model path is accepted or handed to the engine: the file exists, is a
 * file, and starts with the GGUF magic. The engine validates the architecture when it loads; this
 * catches the common mistakes (a moved file, a `.bin` or a truncated download) with a clear message
 * without starting a process.
 */
export async function checkModelFile(modelPath: string): Promise<void> {
    let handle;
    try {
        handle = await open(modelPath, "r");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR")
            throw new ModelNotFoundError(modelPath);
        if (code === "EISDIR")
            throw new ConpetError("MODEL_INVALID", `${modelPath} is a folder, not a model file. Pick a .gguf file.`, {data: {modelPath}});
        throw new ConpetError("MODEL_INVALID", `Cannot read the model file ${modelPath}: ${(err as Error).message}`, {data: {modelPath}, cause: err});
    }
    try {
        const stats = await handle.stat();
        if (!stats.isFile())
            throw new ConpetError("MODEL_INVALID", `${modelPath} is not a regular file. Pick a .gguf file.`, {data: {modelPath}});
        if (!await hasGgufMagic(handle))
            throw new ConpetError(
                "MODEL_INVALID",
                `${modelPath} is not a GGUF model file (it does not start with "GGUF"; it may be corrupt or another format). Pick a .gguf file, or convert the model with llama.cpp.`,
                {data: {modelPath, sizeBytes: stats.size}}
            );
    } finally {
        await handle.close();
    }
}
