/**
 * Multinomial logistic regression over feature vectors (a dense part, standardised, and an
 * optional sparse part such as hashed n-grams), trained in TypeScript: full-batch Adam,
 * class-balanced cross-entropy, L2. On a few hundred samples per class it trains in well under a
 * second, which is what lets the selector be retrained over all tasks on every change.
 */
import {createRandom} from "../utils/createRandom";
import type {SparseVector} from "./getTextFeatures";
import type {LabelledVector, SelectorRoute} from "./types";

export type SoftmaxClassifierJson = {
    format: "conpet-softmax-v1";
    taskIds: number[];
    mean: number[];
    scale: number[];
    /** weights[k][d]: class k, dense feature d. */
    weights: number[][];
    /** sparseWeights[k][i]: class k, sparse feature i; empty without sparse features. */
    sparseWeights: number[][];
    sparseSize: number;
    bias: number[];
    trainAccuracy: number;
};

export type TrainSoftmaxOptions = {
    samples: readonly LabelledVector[];
    /** Defaults to `300`. */
    epochs?: number;
    /** Adam step size. Defaults to `0.05`. */
    learningRate?: number;
    /** L2 penalty on the weights. Defaults to `1e-3`. */
    l2?: number;
    /** Defaults to `42`. */
    seed?: number;
    /** Size of the sparse feature space (`0`: dense features only). Defaults to `0`. */
    sparseSize?: number;
};

export class SoftmaxClassifier {
    private constructor(private readonly _json: SoftmaxClassifierJson) {}

    public get taskIds(): readonly number[] {
        return this._json.taskIds;
    }

    public get trainAccuracy(): number {
        return this._json.trainAccuracy;
    }

    public static train({samples, epochs = 300, learningRate = 0.05, l2 = 1e-3, seed = 42, sparseSize = 0}: TrainSoftmaxOptions): SoftmaxClassifier {
        if (samples.length === 0)
            throw new RangeError("The selector needs at least one sample");
        const taskIds = [...new Set(samples.map((s) => s.taskId))].sort((a, b) => a - b);
        const dim = samples[0]!.vector.length;
        const {mean, scale} = getStandardisation(samples, dim);
        const xs = samples.map((s) => standardise(s.vector, mean, scale));
        const sparse = samples.map((s) => (sparseSize > 0 ? s.sparse : undefined) ?? emptySparse);
        const ys = samples.map((s) => taskIds.indexOf(s.taskId));
        const classCounts = taskIds.map((_, k) => ys.filter((y) => y === k).length);
        // Class-balanced: each task weighs the same however many samples it has.
        const sampleWeight = ys.map((y) => 1 / (taskIds.length * classCounts[y]!));

        const random = createRandom(seed);
        const K = taskIds.length;
        const weights = Array.from({length: K}, () => Array.from({length: dim}, () => (random.next() - 0.5) * 0.01));
        const sparseWeights = Array.from({length: sparseSize > 0 ? K : 0}, () => new Array<number>(sparseSize).fill(0));
        const bias = new Array<number>(K).fill(0);
        const adam = createAdam(K * dim + K * sparseSize + K, learningRate);

        const gradW = Array.from({length: K}, () => new Array<number>(dim).fill(0));
        const gradS = sparseWeights.map(() => new Array<number>(sparseSize).fill(0));
        const gradB = new Array<number>(K).fill(0);
        for (let epoch = 0; epoch < epochs && K > 1; epoch++) {
            for (const row of [...gradW, ...gradS])
                row.fill(0);
            gradB.fill(0);
            for (let i = 0; i < xs.length; i++) {
                const probs = softmax(getLogits(xs[i]!, sparse[i]!, weights, sparseWeights, bias));
                const w = sampleWeight[i]!;
                for (let k = 0; k < K; k++) {
                    const g = w * (probs[k]! - (ys[i] === k ? 1 : 0));
                    gradB[k]! += g;
                    const row = gradW[k]!;
                    const x = xs[i]!;
                    for (let d = 0; d < dim; d++)
                        row[d]! += g * x[d]!;
                    const sparseRow = gradS[k];
                    if (sparseRow !== undefined) {
                        const {indices, values} = sparse[i]!;
                        for (let j = 0; j < indices.length; j++)
                            sparseRow[indices[j]!]! += g * values[j]!;
                    }
                }
            }
            for (const [w, g] of [[weights, gradW], [sparseWeights, gradS]] as const)
                for (let k = 0; k < w.length; k++)
                    for (let d = 0; d < w[k]!.length; d++)
                        g[k]![d]! += l2 * w[k]![d]!;
            adam.step([...weights, ...sparseWeights, bias], [...gradW, ...gradS, gradB]);
        }

        const correct = xs.filter((x, i) => argmax(getLogits(x, sparse[i]!, weights, sparseWeights, bias)) === ys[i]).length;
        return new SoftmaxClassifier({
            format: "conpet-softmax-v1", taskIds, mean, scale, weights, sparseWeights: sparseWeights.map(roundAll), sparseSize, bias, trainAccuracy: correct / xs.length
        });
    }

    public static fromJSON(json: unknown): SoftmaxClassifier {
        const value = json as Partial<SoftmaxClassifierJson>;
        if (value?.format !== "conpet-softmax-v1" || !Array.isArray(value.taskIds) || !Array.isArray(value.weights))
            throw new TypeError("Not a ConPET softmax selector file");
        return new SoftmaxClassifier(value as SoftmaxClassifierJson);
    }

    public toJSON(): SoftmaxClassifierJson {
        return this._json;
    }

    /** Probabilities of every task, in `taskIds` order. */
    public getProbabilities(vector: readonly number[], sparse: SparseVector = emptySparse): number[] {
        const {mean, scale, weights, sparseWeights = [], bias} = this._json;
        return softmax(getLogits(standardise(vector, mean, scale), sparse, weights, sparseWeights, bias));
    }

    public route(vector: readonly number[], topK: number, sparse?: SparseVector): SelectorRoute[] {
        return this.getProbabilities(vector, sparse)
            .map((probability, k) => ({taskId: this._json.taskIds[k]!, probability}))
            .sort((a, b) => b.probability - a.probability)
            .slice(0, Math.max(1, topK));
    }
}

function getStandardisation(samples: readonly LabelledVector[], dim: number) {
    const mean = new Array<number>(dim).fill(0);
    for (const s of samples)
        for (let d = 0; d < dim; d++)
            mean[d]! += (s.vector[d] ?? 0) / samples.length;
    const variance = new Array<number>(dim).fill(0);
    for (const s of samples)
        for (let d = 0; d < dim; d++)
            variance[d]! += ((s.vector[d] ?? 0) - mean[d]!) ** 2 / samples.length;
    return {mean, scale: variance.map((v) => 1 / Math.sqrt(v + 1e-8))};
}

function standardise(vector: readonly number[], mean: readonly number[], scale: readonly number[]): number[] {
    return mean.map((m, d) => ((vector[d] ?? 0) - m) * scale[d]!);
}

const emptySparse: SparseVector = {indices: [], values: []};

function getLogits(x: readonly number[], sparse: SparseVector, weights: readonly (readonly number[])[], sparseWeights: readonly (readonly number[])[], bias: readonly number[]): number[] {
    return weights.map((row, k) => {
        let sum = bias[k]!;
        for (let d = 0; d < x.length; d++)
            sum += row[d]! * x[d]!;
        const sparseRow = sparseWeights[k];
        if (sparseRow !== undefined)
            for (let j = 0; j < sparse.indices.length; j++)
                sum += (sparseRow[sparse.indices[j]!] ?? 0) * sparse.values[j]!;
        return sum;
    });
}

/** Six significant digits: enough for routing, and a much smaller selector file. */
function roundAll(values: number[]): number[] {
    return values.map((v) => Number(v.toPrecision(6)));
}

function softmax(logits: readonly number[]): number[] {
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const total = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / total);
}

function argmax(values: readonly number[]): number {
    let best = 0;
    for (let i = 1; i < values.length; i++)
        if (values[i]! > values[best]!)
            best = i;
    return best;
}

/** Adam over a list of parameter rows, updated in place. */
function createAdam(size: number, learningRate: number) {
    const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    const m = new Float64Array(size), v = new Float64Array(size);
    let t = 0;
    return {
        step(params: number[][], grads: number[][]) {
            t++;
            let offset = 0;
            for (let r = 0; r < params.length; r++) {
                const p = params[r]!, g = grads[r]!;
                for (let i = 0; i < p.length; i++, offset++) {
                    m[offset] = beta1 * m[offset]! + (1 - beta1) * g[i]!;
                    v[offset] = beta2 * v[offset]! + (1 - beta2) * g[i]! ** 2;
                    const mHat = m[offset]! / (1 - beta1 ** t), vHat = v[offset]! / (1 - beta2 ** t);
                    p[i] = p[i]! - learningRate * mHat / (Math.sqrt(vHat) + eps);
                }
            }
        }
    };
}
