/**
 * The identity of a base model file, recorded with every module trained on it, so an adapter is
 * never applied to a different model. Hashing the whole file (gigabytes) on every load would be
 * slow; the size, the architecture and a hash of the first MiB (the GGUF header, metadata and the
 * start of the tensor data) tell real model files apart.
 */
import {createHash} from "node:crypto";
import {open} from "node:fs/promises";

/** Bytes of the file head that go into the hash. */
export const modelFingerprintHeadBytes = 1024 * 1024;

/** Returns `<architecture>-<size>-<first 16 hex of sha256(head)>`, e.g. `llama-1185376-270cba1bd5109f42`. */
export async function getModelFingerprint(modelPath: string, architecture: string): Promise<string> {
    const file = await open(modelPath, "r");
    try {
        const {size} = await file.stat();
        const head = Buffer.alloc(Math.min(size, modelFingerprintHeadBytes));
        let offset = 0;
        while (offset < head.length) {
            const {bytesRead} = await file.read(head, offset, head.length - offset, offset);
            if (bytesRead === 0)
                break;
            offset += bytesRead;
        }
        const digest = createHash("sha256").update(head.subarray(0, offset)).digest("hex");
        return `${architecture}-${size}-${digest.slice(0, 16)}`;
    } finally {
        await file.close();
    }
}
