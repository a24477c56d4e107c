/**
 * Measures the embedding selector alone on a suite (no LoRA training): embeds each task's train
 * samples with the engine, trains the softmax, and reports routing accuracy on the test sets,
 * plus prompt lengths in tokens. Usage:
 *   node --import tsx bench/conpet/probeSelector.ts SUITE_DIR MODEL.gguf [perTask=256] [maxInputChars=512]
 */
import path from "node:path";
import {readSuite} from "../../src/core/importExport/readSuite";
import {formatPrompt} from "../../src/core/formatPrompt";
import {EmbeddingSelector, type SelectorFeatures} from "../../src/core/Selector/EmbeddingSelector";
import {createRandom} from "../../src/vocabulary/createRandom";
import {EngineClient} from "../../src/engine/client/EngineClient";
import {resolveEngineEntryPath} from "../../src/engine/client/resolveEngineEntryPath";

const [suiteDirectory, modelPath, perTaskText = "256", maxCharsText = "512"] = process.argv.slice(2);
if (suiteDirectory === undefined || modelPath === undefined)
    throw new Error("usage: probeSelector.ts SUITE_DIR MODEL.gguf [perTask] [maxInputChars]");
const perTask = Number(perTaskText), maxInputChars = Number(maxCharsText);
const engine = new EngineClient({entryPath: resolveEngineEntryPath(path.resolve(import.meta.dirname, "../.."))});
try {
    await engine.load({modelPath, gpuLayers: 0, threads: 1});
    const suite = await readSuite(suiteDirectory);
    const random = createRandom(1);
    const train = suite.tasks.flatMap((task, taskId) => random.shuffle(task.samples.train).slice(0, perTask).map((s) => ({taskId, input: s.input})));
    const started = performance.now();
    const features = (process.env.FEATURES ?? "tfidf+embedding") as SelectorFeatures;
    const selector = await EmbeddingSelector.train({engine, samples: train, maxInputChars, features});
    const trainMs = performance.now() - started;
    let correct = 0, total = 0;
    for (const [taskId, task] of suite.tasks.entries()) {
        const routes = await selector.route(task.samples.test.map((s) => s.input), {topK: 1});
        const ok = routes.filter((r) => r[0]?.taskId === taskId).length;
        console.log(`${task.task.name}: ${(ok / task.samples.test.length * 100).toFixed(1)} % routed correctly`);
        correct += ok;
        total += task.samples.test.length;
    }
    const lengths = [];
    for (const task of suite.tasks)
        for (const sample of task.samples.train.slice(0, 20))
            lengths.push((await engine.tokenize({text: formatPrompt({instruction: task.task.instruction, input: sample.input, maxInputChars}), addBos: true})).tokens.length);
    lengths.sort((a, b) => a - b);
    console.log(`selector accuracy ${(correct / total * 100).toFixed(1)} % (held-out ${selector.heldOut === null ? "-" : (selector.heldOut.accuracy * 100).toFixed(1)} %), embed+train ${trainMs.toFixed(0)} ms`);
    console.log(`prompt tokens p50 ${lengths[lengths.length >> 1]} p90 ${lengths[Math.floor(lengths.length * 0.9)]} max ${lengths.at(-1)}`);
} finally {
    engine.dispose();
}
