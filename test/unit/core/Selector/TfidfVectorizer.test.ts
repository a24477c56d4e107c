import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {countNgrams, TfidfVectorizer} from "../../../../src/core/Selector/TfidfVectorizer";

const norm = (values: readonly number[]) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));

describe("countNgrams", () => {
    test("counts word 1–2-grams of words with two or more characters, and character 2–5-grams", () => {
        const {words, chars} = countNgrams("Go go a GO");
        // "go" three times (case-folded, "a" is too short), the bigram "go go" twice.
        assert.deepEqual([...words.counts].sort(), [2, 3]);
        // "go go a go" (10 characters): 9 + 8 + 7 + 6 n-grams of length 2..5.
        assert.equal([...chars.counts].reduce((a, b) => a + b, 0), 9 + 8 + 7 + 6);
    });

    test("collapses whitespace runs and reads at most maxChars characters", () => {
        assert.deepEqual(countNgrams("ab \n\t  cd").chars, countNgrams("ab cd").chars);
        assert.deepEqual(countNgrams("abcdef".repeat(1000), 12), countNgrams("abcdefabcdef"));
    });
});

describe("TfidfVectorizer", () => {
    const texts = ["the cat sat", "the cat ran", "a dog ran", "the dog sat", "cats and dogs", "the end"];
    const counts = texts.map((t) => countNgrams(t));

    test("each group is L2-normalised, so a text's vector has norm √2 when it has both groups", () => {
        const vectorizer = TfidfVectorizer.fit(counts, {minDocumentFrequency: 1});
        const {indices, values} = vectorizer.transform(counts[0]!);
        assert.ok(Math.abs(norm(values) - Math.SQRT2) < 1e-9);
        assert.deepEqual(indices, [...indices].sort((a, b) => a - b), "indices ascending");
        assert.ok(indices.every((i) => i < vectorizer.size));
    });

    test("rarer n-grams weigh more (smoothed idf), and n-grams never seen in fitting are ignored", () => {
        const vectorizer = TfidfVectorizer.fit(counts, {minDocumentFrequency: 1});
        const json = vectorizer.toJSON();
        // ln((1 + n) / (1 + df)) + 1 for n = 6 texts: "the" (df 4) and "end" (df 1).
        const idf = (df: number) => Number((Math.log(7 / (1 + df)) + 1).toPrecision(6));
        assert.ok(json.idf.includes(idf(4)) && json.idf.includes(idf(1)));
        assert.deepEqual(vectorizer.transform(countNgrams("zzqx")), {indices: [], values: []});
    });

    test("drops n-grams in fewer than minDocumentFrequency texts and keeps at most maxFeaturesPerGroup per group", () => {
        const more = [...counts, ...["the cat", "a dog", "the dog", "cat naps"].map((t) => countNgrams(t))];
        const all = TfidfVectorizer.fit(more, {minDocumentFrequency: 1});
        const common = TfidfVectorizer.fit(more, {minDocumentFrequency: 2, maxFeaturesPerGroup: 1_000_000});
        assert.ok(common.size < all.size);
        // With fewer than 4 × minDocumentFrequency texts every n-gram is rare: all are kept rather than none.
        assert.equal(TfidfVectorizer.fit(counts, {minDocumentFrequency: 2}).size, TfidfVectorizer.fit(counts, {minDocumentFrequency: 1}).size);
        const capped = TfidfVectorizer.fit(counts, {minDocumentFrequency: 1, maxFeaturesPerGroup: 3});
        assert.equal(capped.size, 6);
        assert.equal(capped.toJSON().wordFeatures, 3);
    });

    test("survives a JSON round trip with the same vectors", () => {
        const vectorizer = TfidfVectorizer.fit(counts, {minDocumentFrequency: 1});
        const restored = TfidfVectorizer.fromJSON(JSON.parse(JSON.stringify(vectorizer.toJSON())));
        assert.deepEqual(restored.transform(counts[3]!), vectorizer.transform(counts[3]!));
        assert.throws(() => TfidfVectorizer.fromJSON({format: "other"}), TypeError);
    });
});
