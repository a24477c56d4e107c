import assert from "node:assert/strict";
import path from "node:path";
import {before, describe, test} from "node:test";
import {readSuite} from "../../../../src/core/importExport/readSuite";
import {TextClassifier} from "../../../../src/core/Selector/TextClassifier";
import {testDataDirectory} from "../../../utils/modelFiles";

type Split = {texts: string[]; labels: number[]};

/** The code-lang suite's four tasks as routing data: input → task index. */
async function readRouting(split: "train" | "test"): Promise<Split> {
    const {tasks} = await readSuite(path.join(testDataDirectory, "code-lang"));
    const samples = tasks.flatMap(({samples}, k) => samples[split].map(({input}) => ({input, k})));
    return {texts: samples.map((sample) => sample.input), labels: samples.map((sample) => sample.k)};
}

const argmax = (values: readonly number[]) => values.indexOf(Math.max(...values));

describe("TextClassifier routing code-lang's four tasks (real snippets, 16 languages)", () => {
    let train: Split, testSet: Split;
    let classifier: TextClassifier;
    before(async () => {
        train = await readRouting("train");
        testSet = await readRouting("test");
        classifier = TextClassifier.train({texts: train.texts, labels: train.labels, classes: 4});
    });

    test("routes held-out snippets like the classic router (scikit-learn: 95.6%), far from a constant router's 25%", () => {
        const correct = testSet.texts.filter((text, i) => argmax(classifier.getProbabilities(text)) === testSet.labels[i]).length;
        assert.ok(correct / testSet.texts.length > 0.9, `routing accuracy ${correct / testSet.texts.length}`);
    });

    test("its probabilities are calibrated on the held-out split and stay so on the test set", () => {
        const heldOut = classifier.heldOut!;
        assert.ok(heldOut.samples >= 0.15 * train.texts.length);
        assert.ok(heldOut.calibrationError < 0.05, `held-out ECE ${heldOut.calibrationError}`);
        let gap = 0;
        const bins = new Map<number, {confidence: number; correct: number; count: number}>();
        testSet.texts.forEach((text, i) => {
            const p = classifier.getProbabilities(text);
            const k = argmax(p);
            const bin = bins.get(Math.floor(p[k]! * 10)) ?? {confidence: 0, correct: 0, count: 0};
            bin.confidence += p[k]!;
            bin.correct += k === testSet.labels[i] ? 1 : 0;
            bin.count++;
            bins.set(Math.floor(p[k]! * 10), bin);
        });
        for (const bin of bins.values())
            gap += Math.abs(bin.correct - bin.confidence) / testSet.texts.length;
        assert.ok(gap < 0.06, `test ECE ${gap}`);
    });

    test("a dense group that carries the label is used, one that is noise is not allowed to hurt", () => {
        const small = {texts: train.texts.slice(0, 400).concat(train.texts.slice(480, 880)), labels: train.labels.slice(0, 400).concat(train.labels.slice(480, 880))};
        const informative = TextClassifier.train({...small, classes: 2, dense: small.labels.map((y) => [y, 1 - y])});
        assert.ok(informative.hasDenseFeatures);
        assert.ok(argmax(informative.getProbabilities("", [1, 0])) === 1 && argmax(informative.getProbabilities("", [0, 1])) === 0);
        assert.throws(() => informative.getProbabilities("x"), /reads a dense vector/);
    });

    test("survives a JSON round trip with the same probabilities", () => {
        const restored = TextClassifier.fromJSON(JSON.parse(JSON.stringify(classifier.toJSON())));
        const text = testSet.texts[17]!;
        const [a, b] = [classifier.getProbabilities(text), restored.getProbabilities(text)];
        a.forEach((p, k) => assert.ok(Math.abs(p - b[k]!) < 1e-6));
    });
});
