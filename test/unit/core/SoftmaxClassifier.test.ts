import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {getTextFeatures} from "../../../src/core/Selector/getTextFeatures";
import {SoftmaxClassifier} from "../../../src/core/Selector/SoftmaxClassifier";
import {createRandom} from "../../../src/core/utils/createRandom";

/** Gaussian-ish clusters around well separated centres, one per task id. */
function makeClusters(taskIds: number[], perTask: number, dim: number, seed: number) {
    const random = createRandom(seed);
    const centres = new Map(taskIds.map((id) => [id, Array.from({length: dim}, () => random.next() * 4 - 2)]));
    return taskIds.flatMap((taskId) => Array.from({length: perTask}, () => ({
        taskId,
        vector: centres.get(taskId)!.map((c) => c + (random.next() - 0.5) * 0.8)
    })));
}

describe("SoftmaxClassifier", () => {
    test("separates synthetic clusters and routes held-out vectors to their task", () => {
        const taskIds = [3, 7, 11, 20];
        const classifier = SoftmaxClassifier.train({samples: makeClusters(taskIds, 40, 16, 1)});
        assert.ok(classifier.trainAccuracy > 0.98, `train accuracy ${classifier.trainAccuracy}`);
        const heldOut = makeClusters(taskIds, 20, 16, 1); // same centres (same seed), fresh noise below
        const random = createRandom(99);
        let correct = 0;
        for (const sample of heldOut) {
            const noisy = sample.vector.map((v) => v + (random.next() - 0.5) * 0.2);
            const [top] = classifier.route(noisy, 1);
            if (top?.taskId === sample.taskId)
                correct++;
        }
        assert.ok(correct / heldOut.length > 0.95, `held-out accuracy ${correct / heldOut.length}`);
    });

    test("top-k routes are sorted probabilities that sum to at most 1", () => {
        const samples = makeClusters([1, 2, 3], 30, 8, 2);
        const classifier = SoftmaxClassifier.train({samples});
        const routes = classifier.route(samples.find((s) => s.taskId === 2)!.vector, 3);
        assert.equal(routes.length, 3);
        assert.equal(routes[0]!.taskId, 2);
        for (let i = 1; i < routes.length; i++)
            assert.ok(routes[i - 1]!.probability >= routes[i]!.probability);
        const total = routes.reduce((sum, r) => sum + r.probability, 0);
        assert.ok(Math.abs(total - 1) < 1e-9);
        assert.equal(classifier.route([0, 0, 0, 0, 0, 0, 0, 0], 1).length, 1);
    });

    test("round-trips through JSON with the same predictions", () => {
        const samples = makeClusters([5, 6], 25, 6, 3);
        const classifier = SoftmaxClassifier.train({samples, seed: 4});
        const restored = SoftmaxClassifier.fromJSON(JSON.parse(JSON.stringify(classifier.toJSON())));
        for (const sample of samples.slice(0, 10))
            assert.deepEqual(restored.route(sample.vector, 2).map((r) => r.taskId), classifier.route(sample.vector, 2).map((r) => r.taskId));
        assert.throws(() => SoftmaxClassifier.fromJSON({format: "other"}), TypeError);
    });

    test("training is deterministic for a seed", () => {
        const samples = makeClusters([1, 2], 20, 4, 5);
        assert.deepEqual(SoftmaxClassifier.train({samples, seed: 9}).toJSON(), SoftmaxClassifier.train({samples, seed: 9}).toJSON());
    });

    test("a single task always routes to itself", () => {
        const classifier = SoftmaxClassifier.train({samples: makeClusters([42], 5, 4, 6)});
        assert.deepEqual(classifier.route([1, 2, 3, 4], 3), [{taskId: 42, probability: 1}]);
    });

    test("sparse n-gram features separate texts the dense part cannot", () => {
        const movie = ["the movie was long", "a film with great acting", "the plot of this movie", "actors in the film", "this movie made me cry"];
        const food = ["the food was cold", "great pasta and pizza", "the waiter brought our food", "dessert was sweet", "this restaurant serves pizza"];
        const samples = [...movie.map((text) => ({taskId: 1, text})), ...food.map((text) => ({taskId: 2, text}))]
            .map(({taskId, text}) => ({taskId, vector: [0, 0], sparse: getTextFeatures(text)}));
        const classifier = SoftmaxClassifier.train({samples, sparseSize: 4096});
        assert.equal(classifier.trainAccuracy, 1);
        assert.equal(classifier.route([0, 0], 1, getTextFeatures("what a movie"))[0]!.taskId, 1);
        assert.equal(classifier.route([0, 0], 1, getTextFeatures("cold pizza"))[0]!.taskId, 2);
    });
});
