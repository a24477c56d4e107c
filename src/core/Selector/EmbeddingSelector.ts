/**
 * The default selector: a calibrated `TextClassifier` over task ids that reads the input's own
 * TF-IDF word and character n-grams and, as one more group of features, the base model's pooled
 * hidden states of the (clipped) input (engine `embed`, no adapters). The n-grams carry most of
 * the routing (a classic text router on them alone reaches 93% on code-lang, where the
 * reference model's 64 pooled numbers reach about 50%); the pooled states add what the model
 * knows beyond surface forms. Trained in TypeScript over a bounded number of samples per task, so
 * it is simply retrained over all tasks whenever one changes.
 */
import type {CoreEngine} from "../dependencyTypes";
import {ConpetError} from "../../vocabulary/errors";
import {defaultMaxInputChars} from "../formatPrompt";
import {TextClassifier, type TextClassifierJson} from "./TextClassifier";
import type {SelectorRoute, TaskSelector} from "./types";
import {embedInBatches} from "./utils/embedInBatches";

/** `tfidf+embedding`: both groups (the default). `tfidf`: the classic router. `embedding`: pooled states only (the paper's representation). */
export type SelectorFeatures = "tfidf+embedding" | "tfidf" | "embedding";

export const defaultSelectorFeatures: SelectorFeatures = "tfidf+embedding";

export type EmbeddingSelectorJson = {kind: "embedding"; format: "conpet-selector-v2"; maxInputChars: number; features: SelectorFeatures; taskIds: number[]; classifier: TextClassifierJson};

export type TrainEmbeddingSelectorOptions = {
    engine: CoreEngine;
    samples: readonly {taskId: number; input: string}[];
    /** Reuses embeddings across retrainings (keyed by clipped input). */
    cache?: Map<string, number[]>;
    /** The pooled states read this many characters, as the task prompts do. Defaults to `defaultMaxInputChars`. */
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
        private readonly _json: EmbeddingSelectorJson,
        private readonly _classifier: TextClassifier,
        private readonly _cache?: Map<string, number[]>
    ) {}

    public get taskIds(): readonly number[] {
        return this._json.taskIds;
    }

    /** Routing accuracy and calibration error on the samples held out while training; null when there were too few. */
    public get heldOut(): TextClassifier["heldOut"] {
        return this._classifier.heldOut;
    }

    public static async train({engine, samples, cache, maxInputChars = defaultMaxInputChars, features = defaultSelectorFeatures, seed = 42, signal}: TrainEmbeddingSelectorOptions): Promise<EmbeddingSelector> {
        if (samples.length === 0)
            throw new RangeError("The selector needs at least one sample");
        const taskIds = [...new Set(samples.map((s) => s.taskId))].sort((a, b) => a - b);
        const dense = features === "tfidf" ? undefined : await embedInBatches(engine, samples.map((s) => s.input.slice(0, maxInputChars)), {cache, signal});
        const texts = features === "embedding" ? samples.map(() => "") : samples.map((s) => s.input);
        const classifier = TextClassifier.train({texts, labels: samples.map((s) => taskIds.indexOf(s.taskId)), classes: taskIds.length, dense, seed});
        return new EmbeddingSelector(engine, {kind: "embedding", format: "conpet-selector-v2", maxInputChars, features, taskIds, classifier: classifier.toJSON()}, classifier, cache);
    }

    public static fromJSON(engine: CoreEngine, json: unknown, cache?: Map<string, number[]>): EmbeddingSelector {
        const value = json as Partial<EmbeddingSelectorJson>;
        if (value?.kind !== "embedding")
            throw new TypeError("Not an embedding selector file");
        if (value.format !== "conpet-selector-v2" || !Array.isArray(value.taskIds))
            throw new ConpetError("NOT_TRAINED", "The selector was saved by an earlier version of ConPET and must be retrained.");
        return new EmbeddingSelector(engine, value as EmbeddingSelectorJson, TextClassifier.fromJSON(value.classifier), cache);
    }

    public toJSON(): EmbeddingSelectorJson {
        return this._json;
    }

    public async route(inputs: readonly string[], {topK, signal}: {topK: number; signal?: AbortSignal}): Promise<SelectorRoute[][]> {
        const {maxInputChars, features, taskIds} = this._json;
        const dense = features === "tfidf" ? undefined : await embedInBatches(this._engine, inputs.map((input) => input.slice(0, maxInputChars)), {cache: this._cache, signal});
        return inputs.map((input, i) => this._classifier.getProbabilities(features === "embedding" ? "" : input, dense?.[i])
            .map((probability, k) => ({taskId: taskIds[k]!, probability}))
            .sort((a, b) => b.probability - a.probability)
            .slice(0, Math.max(1, topK)));
    }
}
