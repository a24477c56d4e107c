/**
 * Hashed word and punctuation n-grams of a text, as a sparse L2-normalised vector. The reference
 * model's pooled states (64 numbers) barely tell review domains apart (about 52 % routing on the
 * sentiment suite), while the words do ("movie", "food", "battery"); the selector therefore
 * reads both. Deterministic, language-agnostic, no vocabulary to store.
 */
export type SparseVector = {indices: number[]; values: number[]};

/** Hash buckets: 2^12 keeps the selector file small (weights per task) at few collisions for short texts. */
export const defaultFeatureBuckets = 4096;

export function getTextFeatures(text: string, buckets = defaultFeatureBuckets): SparseVector {
    const tokens = text.toLowerCase().match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu) ?? [];
    const counts = new Map<number, number>();
    const add = (gram: string) => {
        const index = hash(gram) % buckets;
        counts.set(index, (counts.get(index) ?? 0) + 1);
    };
    for (let i = 0; i < tokens.length; i++) {
        add(`1:${tokens[i]}`);
        if (i > 0)
            add(`2:${tokens[i - 1]} ${tokens[i]}`);
    }
    const indices = [...counts.keys()].sort((a, b) => a - b);
    const values = indices.map((index) => 1 + Math.log(counts.get(index)!));
    const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0)) || 1;
    return {indices, values: values.map((v) => v / norm)};
}

/** FNV-1a, 32 bit. */
function hash(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}
