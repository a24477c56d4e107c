/** A seeded pseudo-random source, so replay, selector training and benchmarks are reproducible. */
export type Random = {
    /** Uniform in [0, 1). */
    next(): number;
    /** Uniform integer in [0, n). */
    int(n: number): number;
    /** A new array with the items in random order. */
    shuffle<T>(items: readonly T[]): T[];
};

/** mulberry32: tiny, fast and good enough for sampling (not for cryptography). */
export function createRandom(seed: number): Random {
    let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    const next = () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number) => Math.floor(next() * n);
    return {
        next,
        int,
        shuffle<T>(items: readonly T[]): T[] {
            const result = items.slice();
            for (let i = result.length - 1; i > 0; i--) {
                const j = int(i + 1);
                const tmp = result[i]!;
                result[i] = result[j]!;
                result[j] = tmp;
            }
            return result;
        }
    };
}
