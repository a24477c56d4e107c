/**
 * The default selector: a softmax over task ids on the base model's pooled, normalised hidden
 * states (engine `embed`, no adapters). Trained in TypeScript in milliseconds on a bounded number
 * of samples per task, so it is simply retrained over all tasks whenever one changes.
 */
import type {CoreEngine} from "../dependencyTypes";
import {defaultMaxInputChars} from "../formatPrompt";
import {SoftmaxClassifier, type SoftmaxClassifierJson} from "./SoftmaxClassifier";
import type {SelectorRoute, TaskSelector} from "./types";
import {embedTexts} from "./utils/embedTexts";

export type EmbeddingSelectorJson = {kind: "embedding"; maxInputChars: number; classifier: SoftmaxClassifierJson};

export type TrainEmbeddingSelectorOptions = {
    engine: CoreEngine;
    samples: readonly {taskId: number; input: string}[];
    /** Reuses embeddings across retrainings (keyed by clipped input). */
    cache?: Map<string, number[]>;
    /** Defaults to `defaultMaxInputChars`. */
    maxInputChars?: number;
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
        private readonly _cache?: Map<string, number[]>
    ) {}

    public get taskIds(): readonly number[] {
        return this._classifier.taskIds;
    }

    public get trainAccuracy(): number {
        return this._classifier.trainAccuracy;
    }

    public static async train({engine, samples, cache, maxInputChars = defaultMaxInputChars, seed = 42, signal}: TrainEmbeddingSelectorOptions): Promise<EmbeddingSelector> {
        const vectors = await embedTexts(engine, samples.map((s) => s.input.slice(0, maxInputChars)), {cache, signal});
        const classifier = SoftmaxClassifier.train({samples: samples.map((s, i) => ({taskId: s.taskId, vector: vectors[i]!})), seed});
        return new EmbeddingSelector(engine, classifier, maxInputChars, cache);
    }

    public static fromJSON(engine: CoreEngine, json: unknown, cache?: Map<string, number[]>): EmbeddingSelector {
        const value = json as Partial<EmbeddingSelectorJson>;
        if (value?.kind !== "embedding")
            throw new TypeError("Not an embedding selector file");
        return new EmbeddingSelector(engine, SoftmaxClassifier.fromJSON(value.classifier), value.maxInputChars ?? defaultMaxInputChars, cache);
    }

    public toJSON(): EmbeddingSelectorJson {
        return {kind: "embedding", maxInputChars: this._maxInputChars, classifier: this._classifier.toJSON()};
    }

    public async route(inputs: readonly string[], {topK, signal}: {topK: number; signal?: AbortSignal}): Promise<SelectorRoute[][]> {
        const vectors = await embedTexts(this._engine, inputs.map((input) => input.slice(0, this._maxInputChars)), {cache: this._cache, signal});
        return vectors.map((vector) => this._classifier.route(vector, topK));
    }
}
