import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {getAverageAccuracy, getCharacterSimilarity, getForgetting, getSelectorAccuracy, getWholeAccuracy, isAccuracyMatrix, isExactMatch} from "../../../src/core/evaluation/metrics";

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

describe("metrics", () => {
    // A sequential learner that forgets: task 0 drops from 0.9 to 0.3, task 1 from 0.8 to 0.5.
    const forgetful = [
        [0.9],
        [0.6, 0.8],
        [0.3, 0.5, 0.7]
    ];
    // A learner whose old task improves later: forgetting is measured from the best row.
    const improving = [
        [0.5],
        [0.7, 0.6],
        [0.6, 0.6, 0.9]
    ];

    test("average accuracy is the mean of the last row", () => {
        close(getAverageAccuracy(forgetful), 0.5);
        close(getAverageAccuracy(improving), 0.7);
        close(getAverageAccuracy([[0.25]]), 0.25);
        assert.equal(getAverageAccuracy([]), 0);
    });

    test("forgetting is the mean drop from each earlier task's best to its final accuracy", () => {
        close(getForgetting(forgetful), ((0.9 - 0.3) + (0.8 - 0.5)) / 2);
        close(getForgetting(improving), ((0.7 - 0.6) + (0.6 - 0.6)) / 2);
        close(getForgetting([[1], [1, 1]]), 0);
        assert.equal(getForgetting([[0.4]]), 0);
        close(getForgetting([[0.2], [0.9, 0.5]]), -0.7);
    });

    test("whole accuracy is micro-averaged over samples", () => {
        close(getWholeAccuracy([{correct: 9, total: 10}, {correct: 10, total: 90}]), 19 / 100);
        assert.equal(getWholeAccuracy([]), 0);
    });

    test("selector accuracy is the share routed to the own task", () => {
        close(getSelectorAccuracy([
            {expectedTaskId: 1, routedTaskId: 1},
            {expectedTaskId: 1, routedTaskId: 2},
            {expectedTaskId: 2, routedTaskId: 2},
            {expectedTaskId: 3, routedTaskId: null}
        ])!, 0.5);
        assert.equal(getSelectorAccuracy([]), null);
    });

    test("isAccuracyMatrix checks the triangular shape and range", () => {
        assert.equal(isAccuracyMatrix(forgetful), true);
        assert.equal(isAccuracyMatrix([[0.5, 0.5]]), false);
        assert.equal(isAccuracyMatrix([[1.5]]), false);
    });

    test("exact match ignores surrounding whitespace only", () => {
        assert.equal(isExactMatch(" createAlg\n", "createAlg"), true);
        assert.equal(isExactMatch("createalg", "createAlg"), false);
        assert.equal(isExactMatch("create Alg", "createAlg"), false);
    });

    test("character similarity gives partial credit by edit distance over the longer length", () => {
        assert.equal(getCharacterSimilarity("createAlg", "createAlg"), 1);
        close(getCharacterSimilarity("createStr", "createAlg"), 1 - 3 / 9);
        close(getCharacterSimilarity("", "abcd"), 0);
        assert.equal(getCharacterSimilarity("", ""), 1);
    });
});
