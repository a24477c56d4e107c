/**
 * Trains one generate-kind task with the real trainer (the core's prompt and completion format)
 * and answers held-out inputs greedily, to find out what a generation task needs (steps, learning
 * rate, rank, target projections). Prints the held-out loss, exact match and character similarity.
 * Usage:
 *   node --import tsx bench/conpet/diagGenerate.mts SUITE/TASK STEPS LR RANK TARGETS [TEST_N]
 *   e.g. text-transform/to-constant 400 0.005 8 q,k,v,o 40
 */
import {readFileSync} from "node:fs";
import {mkdtemp} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {getCharacterSimilarity} from "../../src/core/evaluation/metrics";
import {formatCompletion, formatPrompt} from "../../src/core/formatPrompt";
import {EngineClient} from "../../src/engine/client/EngineClient";
import {resolveEngineEntryPath} from "../../src/engine/client/resolveEngineEntryPath";
import {TrainerClient} from "../../src/trainer/TrainerClient";

const [task, steps, lr, rank, targets, testCount = "40"] = process.argv.slice(2);
const root = path.resolve(import.meta.dirname, "../..");
const data = path.resolve(root, "../shared/data", task!);
const modelPath = path.resolve(root, "../shared/models/stories260K.gguf");
const read = (file: string) => readFileSync(path.join(data, file), "utf8").trim().split("\n")
    .map((line) => JSON.parse(line) as {input: string; output: string});
const train = read("train.jsonl");
const test = read("test.jsonl").slice(0, Number(testCount));
const toSample = (s: {input: string; output: string}) => ({prompt: formatPrompt({input: s.input}), completion: formatCompletion(s.output)});

const trainer = new TrainerClient({});
const engine = new EngineClient({entryPath: resolveEngineEntryPath(root)});
const outputPath = path.join(await mkdtemp(path.join(os.tmpdir(), "conpet-diag-generate-")), "adapter.gguf");
const evalLosses: number[] = [];
const done = await trainer.train({
    modelPath, outputPath, samples: train.map(toSample), evalSamples: test.map(toSample),
    lora: {rank: Number(rank), alpha: 2 * Number(rank), targetModules: targets!.split(",")},
    steps: Number(steps), batchSize: 8, learningRate: Number(lr), lrSchedule: "cosine", seed: 42, threads: 2, gpuLayers: 0, contextSize: 128
}, {onEvent: (event) => { if (event.type === "eval") evalLosses.push(event.loss); }});
console.log(`trained ${done.seconds.toFixed(1)} s, final train loss ${done.finalLoss.toFixed(3)}, held-out loss ${evalLosses.map((l) => l.toFixed(2)).join(" ")}`);
await engine.load({modelPath, gpuLayers: 0, threads: 2});
let exact = 0, similarity = 0;
for (const [index, sample] of test.entries()) {
    const {text} = await engine.generate({prompt: formatPrompt({input: sample.input}), adapters: [{filePath: outputPath, scale: 1}], maxTokens: 48});
    const answer = text.trim();
    exact += answer === sample.output ? 1 : 0;
    similarity += getCharacterSimilarity(answer, sample.output);
    if (index < 6)
        console.log(`  ${JSON.stringify(sample.input)} → ${JSON.stringify(answer)} (want ${JSON.stringify(sample.output)})`);
}
console.log(`exact match ${(exact / test.length).toFixed(3)}, character similarity ${(similarity / test.length).toFixed(3)}`);
engine.dispose();
trainer.dispose();
