/**
 * Trains the logistic regression a router needs, choosing what the data should choose: the L2
 * penalty and the weight of the dense feature group are picked
 * on a held-out split of the samples (stratified, seeded), a temperature is
 * fitted on the same split so that the route probabilities are calibrated (the top-k union
 * multiplies them with label probabilities), and the final model is refitted on every sample.
 */
import {createRandom} from "../../vocabulary/createRandom";
import {getExpectedCalibrationError} from "./getExpectedCalibrationError";
import {LogisticRegression, softmax} from "./LogisticRegression";
import {fitTemperature, getMeanLoss} from "./fitTemperature";
import type {SparseVector} from "./types";

/**
 * One setting to try: its L2 penalty, its dense-group weight, and sample i's row as it builds it
 * (rows are built on demand: the choice reads only a subset, the final fit only the chosen setting's).
 */
export type ClassifierCandidate = {getRow(index: number): SparseVector; l2: number; denseWeight: number};

export type TrainCalibratedClassifierOptions = {
    /** Settings to choose from on the held-out split; the first wins ties. */
    candidates: readonly ClassifierCandidate[];
    labels: readonly number[];
    classes: number;
    dimension: number;
    /** Share of each class held out for the choice. Defaults to `0.2`. */
    heldOutShare?: number;
    /**
     * The choice is made on a stratified subset of at most this many samples: the candidates' fits then
     * cost a bounded amount however large the replay store grows, and only the final fit reads every
     * sample. Defaults to `defaultMaxSelectionSamples`.
     */
    maxSelectionSamples?: number;
    /** Defaults to `42`. */
    seed?: number;
};

export type CalibratedClassifier = {
    model: LogisticRegression;
    /** Divides the logits before the softmax; fitted on the held-out split (1 when there was none). */
    temperature: number;
    chosen: ClassifierCandidate;
    /** Accuracy and expected calibration error (after the temperature) on the held-out split; null without one. */
    heldOut: {samples: number; accuracy: number; calibrationError: number} | null;
};

export const defaultMaxSelectionSamples = 2000;

/** Below this many samples of a class, nothing is held out: every sample is needed for training. */
const minSamplesPerClassToHoldOut = 5;

export function trainCalibratedClassifier({candidates, labels, classes, dimension, heldOutShare = 0.2, maxSelectionSamples = defaultMaxSelectionSamples, seed = 42}: TrainCalibratedClassifierOptions): CalibratedClassifier {
    const first = candidates[0];
    if (first === undefined)
        throw new RangeError("trainCalibratedClassifier needs at least one candidate");
    const split = splitStratified(labels, classes, heldOutShare, Math.min(1, maxSelectionSamples / labels.length), seed);
    if (split === null)
        return {model: LogisticRegression.train({rows: labels.map((_, i) => first.getRow(i)), labels, classes, dimension, l2: first.l2, seed}), temperature: 1, chosen: first, heldOut: null};

    const trainLabels = split.train.map((i) => labels[i]!), heldOutLabels = split.heldOut.map((i) => labels[i]!);
    let best: {candidate: ClassifierCandidate; accuracy: number; loss: number; logits: number[][]} | undefined;
    for (const candidate of candidates) {
        const model = LogisticRegression.train({rows: split.train.map((i) => candidate.getRow(i)), labels: trainLabels, classes, dimension, l2: candidate.l2, seed});
        const logits = split.heldOut.map((i) => model.getLogits(candidate.getRow(i)));
        const accuracy = logits.filter((l, i) => argmax(l) === heldOutLabels[i]).length / logits.length;
        const loss = getMeanLoss(logits, heldOutLabels, 1);
        if (best === undefined || accuracy > best.accuracy || (accuracy === best.accuracy && loss < best.loss))
            best = {candidate, accuracy, loss, logits};
    }
    const {candidate, accuracy, logits} = best!;
    const temperature = fitTemperature(logits, heldOutLabels);
    const calibrationError = getExpectedCalibrationError(logits.map((l, i) => {
        const probabilities = softmax(l, temperature);
        const predicted = argmax(probabilities);
        return {confidence: probabilities[predicted]!, correct: predicted === heldOutLabels[i]};
    }));
    return {
        model: LogisticRegression.train({rows: labels.map((_, i) => candidate.getRow(i)), labels, classes, dimension, l2: candidate.l2, seed}),
        temperature,
        chosen: candidate,
        heldOut: {samples: split.heldOut.length, accuracy, calibrationError}
    };
}

/** Per class, a `share` held out and the rest for training, from a `keep` fraction of the class's samples. */
function splitStratified(labels: readonly number[], classes: number, share: number, keep: number, seed: number): {train: number[]; heldOut: number[]} | null {
    const byClass = Array.from({length: classes}, () => [] as number[]);
    labels.forEach((label, i) => byClass[label]!.push(i));
    const present = byClass.filter((indices) => indices.length > 0);
    if (present.length < 2 || present.some((indices) => indices.length < minSamplesPerClassToHoldOut))
        return null;
    const random = createRandom(seed);
    const train: number[] = [], heldOut: number[] = [];
    for (const indices of present) {
        const shuffled = random.shuffle(indices).slice(0, Math.max(minSamplesPerClassToHoldOut, Math.round(indices.length * keep)));
        const count = Math.max(1, Math.round(shuffled.length * share));
        heldOut.push(...shuffled.slice(0, count));
        train.push(...shuffled.slice(count));
    }
    return {train, heldOut};
}

function argmax(values: readonly number[]): number {
    let best = 0;
    for (let i = 1; i < values.length; i++)
        if (values[i]! > values[best]!)
            best = i;
    return best;
}
