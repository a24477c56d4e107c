import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {fitTemperature, getMeanLoss} from "../../../../src/core/Selector/fitTemperature";
import {getExpectedCalibrationError} from "../../../../src/core/Selector/getExpectedCalibrationError";
import {softmax} from "../../../../src/core/Selector/LogisticRegression";
import {createRandom} from "../../../../src/vocabulary/createRandom";

/** Two-class logits whose softmax is calibrated (labels drawn from it), then multiplied by `sharpen`. */
function makeLogits(count: number, sharpen: number, seed: number): {logits: number[][]; labels: number[]} {
    const random = createRandom(seed);
    const logits: number[][] = [], labels: number[] = [];
    for (let i = 0; i < count; i++) {
        const margin = (random.next() - 0.5) * 6;
        const p1 = softmax([0, margin])[1]!;
        labels.push(random.next() < p1 ? 1 : 0);
        logits.push([0, margin * sharpen]);
    }
    return {logits, labels};
}

function getCalibrationError(logits: readonly number[][], labels: readonly number[], temperature: number): number {
    return getExpectedCalibrationError(logits.map((l, i) => {
        const p = softmax(l, temperature);
        const predicted = p[1]! > p[0]! ? 1 : 0;
        return {confidence: p[predicted]!, correct: predicted === labels[i]};
    }));
}

describe("getExpectedCalibrationError", () => {
    test("is 0 when confidence matches accuracy and the gap when it does not", () => {
        const ninetyPercent = Array.from({length: 10}, (_, i) => ({confidence: 0.95, correct: i < 9}));
        assert.ok(Math.abs(getExpectedCalibrationError(ninetyPercent) - 0.05) < 1e-12);
        const coinFlips = Array.from({length: 10}, (_, i) => ({confidence: 0.95, correct: i % 2 === 0}));
        assert.ok(Math.abs(getExpectedCalibrationError(coinFlips) - 0.45) < 1e-12);
        assert.equal(getExpectedCalibrationError([]), 0);
    });
});

describe("fitTemperature", () => {
    test("recovers the factor an overconfident model sharpened its logits by, and lowers loss and calibration error", () => {
        const {logits, labels} = makeLogits(4000, 4, 1);
        const temperature = fitTemperature(logits, labels);
        assert.ok(temperature > 3.3 && temperature < 4.8, `temperature ${temperature}`);
        assert.ok(getMeanLoss(logits, labels, temperature) < getMeanLoss(logits, labels, 1));
        const before = getCalibrationError(logits, labels, 1), after = getCalibrationError(logits, labels, temperature);
        assert.ok(before > 0.1 && after < 0.03, `ECE ${before} → ${after}`);
    });

    test("sharpens an underconfident model and leaves a calibrated one near 1", () => {
        const under = makeLogits(4000, 0.25, 2);
        assert.ok(fitTemperature(under.logits, under.labels) < 0.35);
        const calibrated = makeLogits(4000, 1, 3);
        assert.ok(Math.abs(fitTemperature(calibrated.logits, calibrated.labels) - 1) < 0.15);
    });
});
