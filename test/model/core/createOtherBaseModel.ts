import {readFile, writeFile} from "node:fs/promises";
import path from "node:path";
import {getTestModelPath} from "../../utils/modelFiles";

/** Where stories260K's `token_embd.weight` (F32, 64 × 512) starts; the file is pinned by its sha256. */
const tokenEmbeddingOffset = 14_176;
const tokenEmbeddingFloats = 64 * 512;

/**
 * Another base model of exactly the reference model's shape: the reference file with its token
 * embeddings scaled, as a fine-tune or another quantization of the same architecture would differ.
 * llama.cpp loads it, and an adapter of the reference model would apply to it without complaint.
 */
export async function createOtherBaseModel(directory: string): Promise<string> {
    const bytes = await readFile(getTestModelPath());
    for (let i = 0; i < tokenEmbeddingFloats; i++) {
        const offset = tokenEmbeddingOffset + i * 4;
        bytes.writeFloatLE(bytes.readFloatLE(offset) * (1 + 0.3 * Math.sin(i)), offset);
    }
    const modelPath = path.join(directory, "stories260K-other.gguf");
    await writeFile(modelPath, bytes);
    return modelPath;
}
