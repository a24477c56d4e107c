/**
 * Trains one task of a suite with the real trainer (the core's prompt and completion format) and
 * compares the base model with the adapter on train and held-out samples (label accuracy, mean
 * log-probability of the gold label), to tune steps and learning rate. Usage (from the repository root,
 * after `npm run build`; data and model from `../shared`, or `$CONPET_MODEL`):
 *   node --import tsx bench/conpet/diag.mts SUITE/TASK STEPS LR RANK TARGETS
 *   e.g. code-lang/langs-1 120 0.005 8 q,k,v,o
 */
import {mkdtemp} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {readSuite} from "../../src/core/importExport/readSuite";
import {EngineClient} from "../../src/engine/client/EngineClient";
import {resolveEngineEntryPath} from "../../src/engine/client/resolveEngineEntryPath";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import {formatCompletion, formatPrompt} from "../../src/core/formatPrompt";
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [taskPath, steps, lr, rank, targets] = process.argv.slice(2);
const modelPath = process.env.CONPET_MODEL ?? path.resolve(repoRoot, "../shared/models/stories260K.gguf");
const [suiteTask] = (await readSuite(path.resolve(repoRoot, "../shared/data", taskPath!))).tasks;
const {instruction, labels} = suiteTask!.task;
const train = suiteTask!.samples.train, test = suiteTask!.samples.test.slice(0, 100);
const prompt = (input: string) => formatPrompt({instruction, input});
const completion = (output: string) => formatCompletion(output);
const trainer = new TrainerClient({});
const engine = new EngineClient({entryPath: resolveEngineEntryPath(repoRoot)});
const out = path.join(await mkdtemp(path.join(os.tmpdir(), "conpet-diag-")), "adapter.gguf");
const t0 = Date.now();
const losses: number[] = [];
const done = await trainer.train({modelPath, outputPath: out, samples: train.map((s) => ({prompt: prompt(s.input), completion: completion(s.output)})),
    lora: {rank: Number(rank), alpha: 2 * Number(rank), targetModules: targets!.split(",")}, steps: Number(steps), batchSize: 8, learningRate: Number(lr), lrSchedule: "cosine", seed: 42, threads: 1, gpuLayers: 0, contextSize: 256},
    {onEvent: (e) => { if (e.type === "progress") losses.push(e.loss); }});
console.log(`trained ${done.seconds.toFixed(1)} s, ${done.tokensPerSecond.toFixed(0)} tok/s, loss ${losses.filter((_, i) => i % Math.ceil(losses.length / 8) === 0).map((l) => l.toFixed(3)).join(" ")} final ${done.finalLoss.toFixed(3)}`);
await engine.load({modelPath, gpuLayers: 0, threads: 1});
for (const [name, set] of [["train", train.slice(0, 100)], ["test", test]] as const) {
    for (const adapters of [[], [{filePath: out, scale: 1}]]) {
        const r = await engine.score({adapters, items: set.map((s) => ({prompt: prompt(s.input), completions: labels.map(completion)}))});
        const acc = r.logProbs.filter((row, i) => labels[row.indexOf(Math.max(...row))] === set[i]!.output).length / set.length;
        console.log(`${name} ${adapters.length ? "lora" : "base"} acc ${acc.toFixed(3)} mean logp of gold ${(r.logProbs.reduce((s, row, i) => s + row[labels.indexOf(set[i]!.output)]!, 0) / set.length).toFixed(3)}`);
    }
}
console.log(`total ${(Date.now() - t0) / 1000} s`);
engine.dispose(); trainer.dispose();
