import type {CoreEngine} from "../../dependencyTypes";

/** Engine `embed` in batches, reusing vectors already in `cache` (keyed by text). */
export async function embedInBatches(engine: CoreEngine, texts: readonly string[], options: {cache?: Map<string, number[]>; batchSize?: number; signal?: AbortSignal} = {}): Promise<number[][]> {
    const {cache, batchSize = 64, signal} = options;
    const missing = [...new Set(texts.filter((text) => !cache?.has(text)))];
    const computed = new Map<string, number[]>();
    for (let i = 0; i < missing.length; i += batchSize) {
        const batch = missing.slice(i, i + batchSize);
        const {vectors} = await engine.embed({texts: batch}, {signal});
        batch.forEach((text, j) => {
            const vector = vectors[j];
            if (vector === undefined)
                throw new Error(`The engine returned ${vectors.length} vectors for ${batch.length} texts`);
            computed.set(text, vector);
            cache?.set(text, vector);
        });
    }
    return texts.map((text) => cache?.get(text) ?? computed.get(text)!);
}
