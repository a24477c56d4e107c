/**
 * Multinomial logistic regression over sparse rows, trained by stochastic gradient descent in
 * TypeScript: class-balanced cross-entropy plus an L2 penalty, with the weight decay folded into
 * one scale factor so that an update touches only the row's non-zero features (Bottou, "Stochastic
 * Gradient Descent Tricks", 2012). A pass costs 2 · non-zeros · classes multiply-adds, which is
 * what keeps retraining the selector over the whole replay store well under a second.
 */
import {createRandom} from "../../vocabulary/createRandom";
import type {SparseVector} from "./types";

export type LogisticRegressionJson = {
    format: "conpet-logreg-v1";
    classes: number;
    dimension: number;
    /** Float32 weights, feature-major (`[feature * classes + class]`), base64. */
    weights: string;
    bias: number[];
};

export type TrainLogisticRegressionOptions = {
    rows: readonly SparseVector[];
    /** Class index of each row, in `[0, classes)`. */
    labels: readonly number[];
    classes: number;
    /** Number of features: every row index is below it. */
    dimension: number;
    /** L2 penalty on the mean loss (scikit-learn's `C` is `1 / (l2 · rows)`). Defaults to `1e-4`. */
    l2?: number;
    /** Passes over the rows. Defaults to enough passes for `minUpdates` row updates, from 3 to `defaultEpochs`. */
    epochs?: number;
    /** Weighs each class's rows so every class counts the same. Defaults to `true`. */
    balanced?: boolean;
    /** Defaults to `42`. */
    seed?: number;
};

export const defaultEpochs = 8;
/**
 * SGD converges after a number of updates rather than of passes: a large replay store needs fewer
 * passes, which keeps the selector's retraining cost from growing faster than its samples.
 */
const minUpdates = 20_000;
/** Initial step size; with L2-normalised feature groups it is stable from the first row on. */
const initialStepSize = 0.5;

export class LogisticRegression {
    private constructor(
        public readonly classes: number,
        public readonly dimension: number,
        private readonly _weights: Float32Array,
        private readonly _bias: readonly number[]
    ) {}

    public static train({rows, labels, classes, dimension, l2 = 1e-4, epochs = Math.min(defaultEpochs, Math.max(3, Math.ceil(minUpdates / Math.max(1, rows.length)))), balanced = true, seed = 42}: TrainLogisticRegressionOptions): LogisticRegression {
        if (rows.length === 0 || rows.length !== labels.length)
            throw new RangeError(`Logistic regression needs one label per row (got ${rows.length} rows, ${labels.length} labels)`);
        const counts = new Array<number>(classes).fill(0);
        for (const label of labels)
            counts[label]!++;
        const present = counts.filter((c) => c > 0).length;
        const rowWeight = labels.map((label) => (balanced ? rows.length / (present * counts[label]!) : 1));

        const weights = new Float32Array(dimension * classes);
        const bias = new Float64Array(classes);
        const logits = new Float64Array(classes);
        const gradient = new Float64Array(classes);
        const random = createRandom(seed);
        let scale = 1;
        let t = 0;
        const order = rows.map((_, i) => i);
        for (let epoch = 0; epoch < epochs && classes > 1; epoch++) {
            for (const i of random.shuffle(order)) {
                const {indices, values} = rows[i]!;
                const stepSize = initialStepSize / (1 + initialStepSize * l2 * t++);
                computeLogits(weights, bias, scale, classes, indices, values, logits);
                softmaxInPlace(logits);
                const label = labels[i]!, w = rowWeight[i]!;
                for (let k = 0; k < classes; k++)
                    gradient[k] = w * (logits[k]! - (k === label ? 1 : 0));
                scale *= 1 - stepSize * l2;
                if (scale < 1e-6) {
                    for (let j = 0; j < weights.length; j++)
                        weights[j]! *= scale;
                    scale = 1;
                }
                const factor = stepSize / scale;
                for (let j = 0; j < indices.length; j++) {
                    const offset = indices[j]! * classes, x = values[j]! * factor;
                    for (let k = 0; k < classes; k++)
                        weights[offset + k]! -= gradient[k]! * x;
                }
                for (let k = 0; k < classes; k++)
                    bias[k]! -= stepSize * gradient[k]!;
            }
        }
        const scaled = new Float32Array(weights.length);
        for (let j = 0; j < weights.length; j++)
            scaled[j] = weights[j]! * scale;
        return new LogisticRegression(classes, dimension, scaled, [...bias]);
    }

    public static fromJSON(json: unknown): LogisticRegression {
        const value = json as Partial<LogisticRegressionJson>;
        if (value?.format !== "conpet-logreg-v1" || typeof value.weights !== "string" || !Array.isArray(value.bias) || typeof value.classes !== "number" || typeof value.dimension !== "number")
            throw new TypeError("Not a ConPET logistic regression");
        const bytes = Buffer.from(value.weights, "base64");
        const weights = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
        if (weights.length !== value.classes * value.dimension || value.bias.length !== value.classes)
            throw new TypeError(`A logistic regression of ${value.classes} classes × ${value.dimension} features has the wrong number of weights`);
        return new LogisticRegression(value.classes, value.dimension, weights, value.bias);
    }

    public toJSON(): LogisticRegressionJson {
        return {
            format: "conpet-logreg-v1",
            classes: this.classes,
            dimension: this.dimension,
            weights: Buffer.from(this._weights.buffer, this._weights.byteOffset, this._weights.byteLength).toString("base64"),
            bias: [...this._bias]
        };
    }

    /** Unnormalised log-probabilities of every class. */
    public getLogits({indices, values}: SparseVector): number[] {
        const logits = new Float64Array(this.classes);
        computeLogits(this._weights, this._bias, 1, this.classes, indices, values, logits);
        return [...logits];
    }
}

function computeLogits(weights: Float64Array | Float32Array, bias: ArrayLike<number>, scale: number, classes: number, indices: readonly number[], values: readonly number[], out: Float64Array): void {
    out.fill(0);
    for (let j = 0; j < indices.length; j++) {
        const offset = indices[j]! * classes, x = values[j]!;
        for (let k = 0; k < classes; k++)
            out[k]! += weights[offset + k]! * x;
    }
    for (let k = 0; k < classes; k++)
        out[k] = out[k]! * scale + bias[k]!;
}

function softmaxInPlace(values: Float64Array): void {
    let max = -Infinity;
    for (const v of values)
        max = Math.max(max, v);
    let total = 0;
    for (let k = 0; k < values.length; k++) {
        values[k] = Math.exp(values[k]! - max);
        total += values[k]!;
    }
    for (let k = 0; k < values.length; k++)
        values[k]! /= total;
}

/** Probabilities from logits, optionally divided by a temperature first. */
export function softmax(logits: readonly number[], temperature = 1): number[] {
    const scaled = Float64Array.from(logits, (l) => l / temperature);
    softmaxInPlace(scaled);
    return [...scaled];
}
