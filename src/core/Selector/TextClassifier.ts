/**
 * A calibrated text classifier: TF-IDF word and character n-grams (`TfidfVectorizer`), optionally
 * joined by one dense group per text (the base model's pooled hidden states, standardised and
 * scaled to unit norm so the group weighs like each n-gram group, times a weight), into a
 * class-balanced logistic regression whose L2 penalty, dense-group weight and temperature are
 * chosen on held-out samples.
 *
 * The selector routes with it (classes = tasks), and the benchmark's classic baseline answers with
 * it alone (classes = tasks, or every task's labels).
 */
import {LogisticRegression, softmax, type LogisticRegressionJson} from "./LogisticRegression";
import {countNgrams, TfidfVectorizer, type TfidfVectorizerJson} from "./TfidfVectorizer";
import {trainCalibratedClassifier, type CalibratedClassifier} from "./trainCalibratedClassifier";
import type {SparseVector} from "./types";

export type TextClassifierJson = {
    format: "conpet-text-classifier-v1";
    classes: number;
    vectorizer: TfidfVectorizerJson;
    /** Standardisation of the dense group; null without one. */
    dense: {mean: number[]; scale: number[]} | null;
    model: LogisticRegressionJson;
    temperature: number;
    l2: number;
    /** Multiplies the dense group (chosen on held-out samples; 0 without one). */
    denseWeight: number;
    heldOut: CalibratedClassifier["heldOut"];
};

/** Candidate L2 penalties (per mean loss) and dense-group weights; every pair is tried on held-out samples. */
const l2Grid = [1e-4, 1e-5];
const denseWeightGrid = [1, 0.3];

export type TrainTextClassifierOptions = {
    texts: readonly string[];
    /** Class index of each text, in `[0, classes)`. */
    labels: readonly number[];
    classes: number;
    /** One dense vector per text (all the same length), or none. */
    dense?: readonly (readonly number[])[];
    /** Defaults to `42`. */
    seed?: number;
};

export class TextClassifier {
    private constructor(
        private readonly _json: TextClassifierJson,
        private readonly _vectorizer: TfidfVectorizer,
        private readonly _model: LogisticRegression
    ) {}

    public get classes(): number {
        return this._json.classes;
    }

    public get hasDenseFeatures(): boolean {
        return this._json.dense !== null;
    }

    /** Held-out accuracy and calibration error measured while training; null when there were too few samples to hold any out. */
    public get heldOut(): CalibratedClassifier["heldOut"] {
        return this._json.heldOut;
    }

    public get temperature(): number {
        return this._json.temperature;
    }

    public static train({texts, labels, classes, dense, seed = 42}: TrainTextClassifierOptions): TextClassifier {
        const counts = texts.map((text) => countNgrams(text));
        const vectorizer = TfidfVectorizer.fit(counts);
        const ngramRows = counts.map((c) => vectorizer.transform(c));
        const standardisation = dense === undefined || dense.length === 0 ? null : getStandardisation(dense);
        const dimension = vectorizer.size + (standardisation?.mean.length ?? 0);
        const candidates = (standardisation === null ? [0] : denseWeightGrid).flatMap((denseWeight) => {
            // Built once per weight and index, shared by that weight's L2 candidates.
            const rows: SparseVector[] = [];
            const getRow = (i: number) => rows[i] ??= joinGroups(ngramRows[i]!, vectorizer.size, standardisation, dense?.[i], denseWeight);
            return l2Grid.map((l2) => ({getRow, l2, denseWeight}));
        });
        const {model, temperature, chosen, heldOut} = trainCalibratedClassifier({candidates, labels, classes, dimension, seed});
        return new TextClassifier({
            format: "conpet-text-classifier-v1", classes, vectorizer: vectorizer.toJSON(), dense: standardisation, model: model.toJSON(),
            temperature, l2: chosen.l2, denseWeight: chosen.denseWeight, heldOut
        }, vectorizer, model);
    }

    public static fromJSON(json: unknown): TextClassifier {
        const value = json as Partial<TextClassifierJson>;
        if (value?.format !== "conpet-text-classifier-v1" || typeof value.classes !== "number" || typeof value.temperature !== "number")
            throw new TypeError("Not a ConPET text classifier");
        return new TextClassifier(value as TextClassifierJson, TfidfVectorizer.fromJSON(value.vectorizer), LogisticRegression.fromJSON(value.model));
    }

    public toJSON(): TextClassifierJson {
        return this._json;
    }

    /** Calibrated probability of every class, by class index. */
    public getProbabilities(text: string, dense?: readonly number[]): number[] {
        if (this.hasDenseFeatures !== (dense !== undefined))
            throw new TypeError(this.hasDenseFeatures ? "This classifier reads a dense vector with each text" : "This classifier reads text only");
        const row = joinGroups(this._vectorizer.transform(this._vectorizer.countNgrams(text)), this._vectorizer.size, this._json.dense, dense, this._json.denseWeight);
        return softmax(this._model.getLogits(row), this._json.temperature);
    }
}

/** The n-gram row followed by the dense group (standardised, then scaled to `weight` × unit expected norm). */
function joinGroups(ngrams: SparseVector, offset: number, standardisation: TextClassifierJson["dense"], dense: readonly number[] | undefined, weight: number): SparseVector {
    if (standardisation === null || dense === undefined)
        return ngrams;
    const {mean, scale} = standardisation;
    const norm = (Math.sqrt(mean.length) || 1) / weight;
    const indices = ngrams.indices.slice(), values = ngrams.values.slice();
    for (let d = 0; d < mean.length; d++) {
        indices.push(offset + d);
        values.push(((dense[d] ?? 0) - mean[d]!) * scale[d]! / norm);
    }
    return {indices, values};
}

function getStandardisation(vectors: readonly (readonly number[])[]): {mean: number[]; scale: number[]} {
    const dimension = vectors[0]!.length;
    const mean = new Array<number>(dimension).fill(0);
    for (const v of vectors)
        for (let d = 0; d < dimension; d++)
            mean[d]! += (v[d] ?? 0) / vectors.length;
    const variance = new Array<number>(dimension).fill(0);
    for (const v of vectors)
        for (let d = 0; d < dimension; d++)
            variance[d]! += ((v[d] ?? 0) - mean[d]!) ** 2 / vectors.length;
    return {mean: mean.map(round), scale: variance.map((v) => round(1 / Math.sqrt(v + 1e-8)))};
}

function round(value: number): number {
    return Number(value.toPrecision(7));
}
