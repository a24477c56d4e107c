/**
 * The default selector: a softmax over task ids on the base model's pooled, normalised hidden
 * states (engine `embed`, no adapters), together with hashed n-grams of the input's words
 * (`features`). Trained in TypeScript in well under a second on a bounded number of samples per
 * task, so it is simply retrained over all tasks whenever one changes.
 */
import type {CoreEngine} from "../dependencyTypes";
import {defaultMaxInputChars} from "../formatPrompt";
import {defaultFeatureBuckets, getTextFeatures} from "./getTextFeatures";
import {SoftmaxClassifier, type SoftmaxClassifierJson} from "./SoftmaxClassifier";
import type {SelectorRoute, TaskSelector} from "./types";
import {embedTexts} from "./utils/embedTexts";

/** `embedding`: pooled states only (the paper's representation). `embedding+ngrams`: plus hashed word n-grams. */
export type SelectorFeatures = "embedding" | "embedding+ngrams";

export const defaultSelectorFeatures: SelectorFeatures = "embedding+ngrams";

export type EmbeddingSelectorJson = {kind: "embedding"; maxInputChars: number; features?: SelectorFeatures; classifier: SoftmaxClassifierJson};

export type TrainEmbeddingSelectorOptions = {
    engine: CoreEngine;
    samples: readonly {taskId: number; input: string}[];
    /** Reuses embeddings across retrainings (keyed by clipped input). */
    cache?: Map<string, number[]>;
    /** Defaults to `defaultMaxInputChars`. */
    maxInputChars?: number;
    /** Defaults to `defaultSelectorFeatures`. */
    features?: SelectorFeatures;
    /** Defaults to `42`. */
    seed?: number;
    signal?: AbortSignal;
};

export class EmbeddingSelector implements TaskSelector {
    public readonly kind = "embedding";

    private constructor(
        private readonly _engine: CoreEngine,
        private readonly _classifier: SoftmaxClassifier,
        private readonly _maxInputChars: number,
        private readonly _features: SelectorFeatures,
        private readonly _cache?: Map<string, number[]>
    ) {}

    public get taskIds(): readonly number[] {
        return this._classifier.taskIds;
    }

    public get trainAccuracy(): number {
        return this._classifier.trainAccuracy;
    }

    public static async train({engine, samples, cache, maxInputChars = defaultMaxInputChars, features = defaultSelectorFeatures, seed = 42, signal}: TrainEmbeddingSelectorOptions): Promise<EmbeddingSelector> {
        const texts = samples.map((s) => s.input.slice(0, maxInputChars));
        const vectors = await embedTexts(engine, texts, {cache, signal});
        const withNgrams = features === "embedding+ngrams";
        const classifier = SoftmaxClassifier.train({
            samples: samples.map((s, i) => ({taskId: s.taskId, vector: vectors[i]!, ...(withNgrams ? {sparse: getTextFeatures(texts[i]!)} : {})})),
            sparseSize: withNgrams ? defaultFeatureBuckets : 0,
            seed
        });
        return new EmbeddingSelector(engine, classifier, maxInputChars, features, cache);
    }

    public static fromJSON(engine: CoreEngine, json: unknown, cache?: Map<string, number[]>): EmbeddingSelector {
        const value = json as Partial<EmbeddingSelectorJson>;
        if (value?.kind !== "embedding")
            throw new TypeError("Not an embedding selector file");
        return new EmbeddingSelector(engine, SoftmaxClassifier.fromJSON(value.classifier), value.maxInputChars ?? defaultMaxInputChars, value.features ?? "embedding", cache);
    }

    public toJSON(): EmbeddingSelectorJson {
        return {kind: "embedding", maxInputChars: this._maxInputChars, features: this._features, classifier: this._classifier.toJSON()};
    }

    public async route(inputs: readonly string[], {topK, signal}: {topK: number; signal?: AbortSignal}): Promise<SelectorRoute[][]> {
        const texts = inputs.map((input) => input.slice(0, this._maxInputChars));
        const vectors = await embedTexts(this._engine, texts, {cache: this._cache, signal});
        return vectors.map((vector, i) => this._classifier.route(vector, topK, this._features === "embedding+ngrams" ? getTextFeatures(texts[i]!) : undefined));
    }
}
