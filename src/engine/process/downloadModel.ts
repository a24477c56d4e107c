/**
 * Downloads a model for "Select Model…": node-llama-cpp's downloader (ipull) writes to a temporary
 * file that survives a cancel or a lost connection, so the next download of the same URI resumes;
 * a finished file whose size matches the server's is not fetched again. The result is then checked
 * like any local model (`validateModelFile`: GGUF, supported architecture, not truncated), so a
 * corrupt download is reported instead of loaded.
 */
import {mkdir} from "node:fs/promises";
import path from "node:path";
import {createModelDownloader} from "node-llama-cpp";
import {CancelledError, ConpetError, InvalidInputError} from "../../vocabulary/errors";
import {findCuratedModel} from "../../vocabulary/curatedModels";
import {validateModelFile, type ValidatedModelFile} from "./validateModelFile";

export type DownloadModelOptions = {
    /** A curated model id (see `curatedModels`), an `hf:` URI or an `https://` URL of a `.gguf` file. */
    uri: string;
    /** Absolute folder to save the model in; created if missing. */
    directory: string;
    signal?: AbortSignal;
    onProgress?: (progress: {done: number; total: number; message?: string}) => void;
};

/** Throws `INVALID_INPUT` for a URI or folder that can't work, before touching the network. */
export function resolveDownloadUri(uri: string, directory: string): string {
    if (typeof uri !== "string" || uri.trim() === "")
        throw new InvalidInputError("The model URI is empty. Pick a model from the list or give an hf: URI or https:// URL.");
    if (typeof directory !== "string" || !path.isAbsolute(directory))
        throw new InvalidInputError(`The download folder must be an absolute path, got ${JSON.stringify(directory)}.`, {directory});
    const resolved = findCuratedModel(uri.trim())?.uri ?? uri.trim();
    if (!/^(hf:[^/\s]+\/[^\s]+|https?:\/\/\S+)$/.test(resolved))
        throw new InvalidInputError(`Unsupported model URI ${JSON.stringify(uri)}: use a curated model id, hf:<user>/<repo>/<file>.gguf, or an https:// URL.`, {uri});
    return resolved;
}

export async function downloadModel({uri, directory, signal, onProgress}: DownloadModelOptions): Promise<ValidatedModelFile> {
    const modelUri = resolveDownloadUri(uri, directory);
    await mkdir(directory, {recursive: true}).catch((err: unknown) => {
        throw new ConpetError("NOT_WRITABLE", `Can't create the download folder ${directory}: ${err instanceof Error ? err.message : String(err)}`, {data: {directory}, cause: err});
    });

    const downloader = await createModelDownloader({
        modelUri,
        dirPath: directory,
        skipExisting: true,
        deleteTempFileOnCancel: false,
        showCliProgress: false,
        onProgress: ({totalSize, downloadedSize}) => {
            try {
                onProgress?.({done: downloadedSize, total: totalSize, message: `Downloading ${path.basename(modelUri)}`});
            } catch {
                // A throwing progress listener must not abort the download.
            }
        }
    });
    try {
        const modelPath = await downloader.download({signal});
        return await validateModelFile(modelPath);
    } catch (err) {
        if (signal?.aborted)
            throw new CancelledError("The download was cancelled; starting it again resumes where it stopped.");
        throw err;
    }
}
