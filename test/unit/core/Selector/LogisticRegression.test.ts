import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {LogisticRegression} from "../../../../src/core/Selector/LogisticRegression";
import {createRandom} from "../../../../src/vocabulary/createRandom";
import type {SparseVector} from "../../../../src/core/Selector/types";

/** Rows of `classes` classes: class k lights up features k·4..k·4+3 (plus shared noise features), unit norm. */
function makeRows(perClass: readonly number[], seed: number): {rows: SparseVector[]; labels: number[]} {
    const random = createRandom(seed);
    const rows: SparseVector[] = [], labels: number[] = [];
    perClass.forEach((count, k) => {
        for (let i = 0; i < count; i++) {
            const indices = [k * 4 + random.int(4), 40 + random.int(8), 48 + random.int(8)];
            rows.push({indices, values: indices.map(() => 1 / Math.sqrt(3))});
            labels.push(k);
        }
    });
    return {rows, labels};
}

const argmax = (values: readonly number[]) => values.indexOf(Math.max(...values));

describe("LogisticRegression", () => {
    test("learns classes told apart by their features (a constant classifier would score 25%)", () => {
        const train = makeRows([60, 60, 60, 60], 1), test = makeRows([30, 30, 30, 30], 2);
        const model = LogisticRegression.train({...train, classes: 4, dimension: 56});
        const accuracy = test.rows.filter((row, i) => argmax(model.getLogits(row)) === test.labels[i]).length / test.rows.length;
        assert.equal(accuracy, 1);
    });

    test("class balancing: a class with 5% of the samples is still predicted", () => {
        // Only the noise features are shared; the minority class has its own features too.
        const train = makeRows([200, 10], 3), test = makeRows([50, 50], 4);
        const balanced = LogisticRegression.train({...train, classes: 2, dimension: 56, epochs: 2, l2: 1e-2});
        const plain = LogisticRegression.train({...train, classes: 2, dimension: 56, epochs: 2, l2: 1e-2, balanced: false});
        const minorityRecall = (model: LogisticRegression) => test.rows.filter((row, i) => test.labels[i] === 1 && argmax(model.getLogits(row)) === 1).length / 50;
        assert.ok(minorityRecall(balanced) > minorityRecall(plain), `balanced ${minorityRecall(balanced)}, plain ${minorityRecall(plain)}`);
        assert.equal(minorityRecall(balanced), 1);
    });

    test("a stronger L2 penalty gives smaller logits", () => {
        const train = makeRows([40, 40], 5);
        const spread = (l2: number) => {
            const logits = LogisticRegression.train({...train, classes: 2, dimension: 56, l2}).getLogits(train.rows[0]!);
            return Math.abs(logits[0]! - logits[1]!);
        };
        assert.ok(spread(1e-1) < spread(1e-5));
    });

    test("is deterministic for a seed and survives a JSON round trip (float32 weights)", () => {
        const train = makeRows([20, 20, 20], 6);
        const a = LogisticRegression.train({...train, classes: 3, dimension: 56, seed: 9});
        assert.deepEqual(a.toJSON(), LogisticRegression.train({...train, classes: 3, dimension: 56, seed: 9}).toJSON());
        const restored = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
        assert.deepEqual(restored.getLogits(train.rows[7]!), a.getLogits(train.rows[7]!));
        assert.throws(() => LogisticRegression.fromJSON({...a.toJSON(), classes: 4}), /wrong number of weights/);
    });

    test("refuses rows without labels", () => {
        assert.throws(() => LogisticRegression.train({rows: [], labels: [], classes: 2, dimension: 1}), RangeError);
    });
});
