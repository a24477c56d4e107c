/**
 * TF-IDF features of a text, as the classic text router uses them: word 1–2-grams and character
 * 2–5-grams, each group with sublinear term frequency (1 + ln tf), smoothed idf and its own L2
 * norm (scikit-learn's `TfidfVectorizer(sublinear_tf=True)` for `analyzer="word"` and `"char"`).
 *
 * N-grams are identified by a 32-bit hash instead of their text: the vocabulary is a list of
 * numbers (a small selector file), extraction allocates no substrings, and with the few hundred
 * thousand distinct n-grams of a store, collisions are a handful.
 */
import type {SparseVector} from "./types";

export type TfidfVectorizerJson = {
    format: "conpet-tfidf-v1";
    /** Hashes of the kept n-grams; position = feature index. */
    terms: number[];
    /** Smoothed idf of each kept n-gram. */
    idf: number[];
    /** Features `[0, wordFeatures)` are word n-grams, the rest character n-grams. */
    wordFeatures: number;
    maxChars: number;
};

export type FitTfidfOptions = {
    /** Keeps an n-gram only if it occurs in at least this many texts (drops one-off noise). Defaults to `2`. */
    minDocumentFrequency?: number;
    /** Keeps at most this many n-grams per group, the most frequent ones. Defaults to `defaultMaxFeaturesPerGroup`. */
    maxFeaturesPerGroup?: number;
};

/** Bounds the selector file and its training cost (weights per task per feature). */
export const defaultMaxFeaturesPerGroup = 30_000;
/** N-grams are read from at most this many characters of a text: bounded work for an enormous selection. */
export const defaultTfidfMaxChars = 2000;

/** One group's n-grams of a text: distinct hashes ascending, and how often each occurs. */
export type NgramGroupCounts = {terms: Uint32Array; counts: Uint16Array};

/** Raw n-gram counts of one text, by group; reusable across fits (the vocabulary changes, the counts don't). */
export type NgramCounts = {words: NgramGroupCounts; chars: NgramGroupCounts};

export class TfidfVectorizer {
    /** Each group's kept terms, ascending: a text's terms (also ascending) map to ascending feature indices. */
    private readonly _wordTerms: Uint32Array;
    private readonly _charTerms: Uint32Array;

    private constructor(private readonly _json: TfidfVectorizerJson) {
        this._wordTerms = Uint32Array.from(_json.terms.slice(0, _json.wordFeatures));
        this._charTerms = Uint32Array.from(_json.terms.slice(_json.wordFeatures));
    }

    public get size(): number {
        return this._json.terms.length;
    }

    public static fit(counts: readonly NgramCounts[], {minDocumentFrequency = 2, maxFeaturesPerGroup = defaultMaxFeaturesPerGroup}: FitTfidfOptions = {}): TfidfVectorizer {
        const n = counts.length;
        // With very few texts every n-gram is rare; keep them all rather than none.
        const minimum = n >= 4 * minDocumentFrequency ? minDocumentFrequency : 1;
        const pick = (group: "words" | "chars") => {
            const {values, runs} = countRuns(concatenate(counts.map((text) => text[group].terms)).sort());
            const kept: number[] = [];
            for (let i = 0; i < values.length; i++)
                if (runs[i]! >= minimum)
                    kept.push(i);
            if (kept.length > maxFeaturesPerGroup)
                kept.sort((a, b) => runs[b]! - runs[a]! || a - b).length = maxFeaturesPerGroup;
            return kept.sort((a, b) => a - b).map((i) => ({term: values[i]!, documentFrequency: runs[i]!}));
        };
        const words = pick("words"), chars = pick("chars");
        const kept = [...words, ...chars];
        return new TfidfVectorizer({
            format: "conpet-tfidf-v1",
            terms: kept.map((k) => k.term),
            idf: kept.map((k) => Number((Math.log((1 + n) / (1 + k.documentFrequency)) + 1).toPrecision(6))),
            wordFeatures: words.length,
            // The counts were read with the default clip; a saved vectorizer keeps reading texts as it was fitted.
            maxChars: defaultTfidfMaxChars
        });
    }

    public static fromJSON(json: unknown): TfidfVectorizer {
        const value = json as Partial<TfidfVectorizerJson>;
        if (value?.format !== "conpet-tfidf-v1" || !Array.isArray(value.terms) || !Array.isArray(value.idf) || value.terms.length !== value.idf.length)
            throw new TypeError("Not a ConPET TF-IDF vectorizer");
        return new TfidfVectorizer(value as TfidfVectorizerJson);
    }

    public toJSON(): TfidfVectorizerJson {
        return this._json;
    }

    /** The text's TF-IDF vector over the kept n-grams (indices ascending); n-grams never seen in fitting are ignored. */
    public transform(counts: NgramCounts): SparseVector {
        const word = this._weigh(counts.words, this._wordTerms, 0);
        const char = this._weigh(counts.chars, this._charTerms, this._json.wordFeatures);
        return {indices: word.indices.concat(char.indices), values: word.values.concat(char.values)};
    }

    public countNgrams(text: string): NgramCounts {
        return countNgrams(text, this._json.maxChars);
    }

    private _weigh({terms, counts}: NgramGroupCounts, vocabulary: Uint32Array, offset: number): SparseVector {
        const {idf} = this._json;
        const indices: number[] = [], values: number[] = [];
        let norm = 0;
        for (let i = 0, low = 0; i < terms.length; i++) {
            const position = findSorted(vocabulary, terms[i]!, low);
            if (position < 0)
                continue;
            low = position + 1;
            const value = (1 + Math.log(counts[i]!)) * idf[offset + position]!;
            indices.push(offset + position);
            values.push(value);
            norm += value * value;
        }
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < values.length; i++)
            values[i]! /= norm;
        return {indices, values};
    }
}

/** Index of `value` in the ascending `sorted` at or after `low`, or -1. */
function findSorted(sorted: Uint32Array, value: number, low: number): number {
    let high = sorted.length - 1;
    while (low <= high) {
        const middle = (low + high) >>> 1;
        const found = sorted[middle]!;
        if (found === value)
            return middle;
        if (found < value)
            low = middle + 1;
        else
            high = middle - 1;
    }
    return -1;
}

function concatenate(arrays: readonly Uint32Array[]): Uint32Array {
    const all = new Uint32Array(arrays.reduce((sum, a) => sum + a.length, 0));
    let offset = 0;
    for (const a of arrays) {
        all.set(a, offset);
        offset += a.length;
    }
    return all;
}

/** Distinct values of a sorted array with their run lengths. */
function countRuns(sorted: Uint32Array): {values: Uint32Array; runs: Uint32Array} {
    const values = new Uint32Array(sorted.length), runs = new Uint32Array(sorted.length);
    let distinct = 0;
    for (let i = 0; i < sorted.length;) {
        let j = i + 1;
        while (j < sorted.length && sorted[j] === sorted[i])
            j++;
        values[distinct] = sorted[i]!;
        runs[distinct++] = j - i;
        i = j;
    }
    return {values: values.subarray(0, distinct), runs: runs.subarray(0, distinct)};
}

const wordPattern = /[\p{L}\p{N}_]{2,}/gu;
const maxCharGram = 5;

/**
 * Word 1–2-grams (lower-cased words of two or more letters, digits or underscores, as
 * scikit-learn's default token pattern) and character 2–5-grams of the lower-cased text with runs
 * of whitespace collapsed to one space.
 */
export function countNgrams(text: string, maxChars = defaultTfidfMaxChars): NgramCounts {
    const clipped = text.slice(0, maxChars).toLowerCase();
    const words: number[] = [];
    let previous: number | undefined;
    for (const [word] of clipped.matchAll(wordPattern)) {
        const unigram = hashString(word, wordSeed);
        words.push(unigram);
        if (previous !== undefined)
            words.push(mix(previous, unigram));
        previous = unigram;
    }

    const normalised = clipped.replace(/\s+/g, " ");
    const chars = new Uint32Array(Math.max(0, normalised.length * (maxCharGram - 1)));
    let used = 0;
    for (let start = 0; start < normalised.length - 1; start++) {
        // FNV-1a extended one character at a time: the 2..5-grams starting here cost one step each.
        let h = charSeed;
        for (let length = 1; length <= maxCharGram && start + length <= normalised.length; length++) {
            h = Math.imul(h ^ normalised.charCodeAt(start + length - 1), 0x01000193) >>> 0;
            if (length >= 2)
                chars[used++] = h;
        }
    }
    return {words: toGroupCounts(new Uint32Array(words).sort()), chars: toGroupCounts(chars.subarray(0, used).sort())};
}

function toGroupCounts(sorted: Uint32Array): NgramGroupCounts {
    const {values, runs} = countRuns(sorted);
    const counts = new Uint16Array(runs.length);
    for (let i = 0; i < runs.length; i++)
        counts[i] = Math.min(runs[i]!, 0xffff);
    return {terms: values.slice(), counts};
}

const wordSeed = 0x811c9dc5;
const charSeed = 0x050c5d1f;

function hashString(text: string, seed: number): number {
    let h = seed;
    for (let i = 0; i < text.length; i++)
        h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h >>> 0;
}

/** A bigram's id from its two words' ids (order matters). */
function mix(a: number, b: number): number {
    return (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35)) >>> 0;
}
