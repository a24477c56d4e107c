import {softmax} from "./LogisticRegression";

/** Temperatures searched, as powers of ten: from 20× sharper to 20× flatter than the raw logits. */
const lowestLog = Math.log10(0.05), highestLog = Math.log10(20);

/**
 * Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017): the one
 * number T that minimises the held-out negative log-likelihood of softmax(logits / T). The loss is
 * convex in 1/T, so a golden-section search over log T finds it.
 */
export function fitTemperature(logits: readonly (readonly number[])[], labels: readonly number[]): number {
    if (logits.length === 0)
        return 1;
    const loss = (logT: number) => getMeanLoss(logits, labels, 10 ** logT);
    const ratio = (Math.sqrt(5) - 1) / 2;
    let low = lowestLog, high = highestLog;
    let a = high - ratio * (high - low), b = low + ratio * (high - low);
    let lossA = loss(a), lossB = loss(b);
    for (let i = 0; i < 40; i++) {
        if (lossA < lossB) {
            high = b;
            b = a;
            lossB = lossA;
            a = high - ratio * (high - low);
            lossA = loss(a);
        } else {
            low = a;
            a = b;
            lossA = lossB;
            b = low + ratio * (high - low);
            lossB = loss(b);
        }
    }
    return Number((10 ** ((low + high) / 2)).toPrecision(4));
}

/** Mean negative log-likelihood of the true labels under softmax(logits / temperature). */
export function getMeanLoss(logits: readonly (readonly number[])[], labels: readonly number[], temperature: number): number {
    let total = 0;
    logits.forEach((row, i) => {
        total -= Math.log(Math.max(softmax(row, temperature)[labels[i]!]!, 1e-12));
    });
    return total / Math.max(1, logits.length);
}
