import {open, type FileHandle} from "node:fs/promises";

/** The four bytes every GGUF file (model or adapter) starts with. */
export const ggufMagic = "GGUF";

/**
 * Whether the file starts with the GGUF magic: a path (opened and closed here) or an open handle
 * (left open). A file shorter than the magic does not.
 */
export async function hasGgufMagic(file: string | FileHandle): Promise<boolean> {
    const handle = typeof file === "string" ? await open(file, "r") : file;
    try {
        const head = Buffer.alloc(ggufMagic.length);
        const {bytesRead} = await handle.read(head, 0, head.length, 0);
        return bytesRead === head.length && head.toString("latin1") === ggufMagic;
    } finally {
        if (typeof file === "string")
            await handle.close();
    }
}
