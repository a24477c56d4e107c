/**
 * Trains one task of a suite with the real trainer (the core's prompt and completion format) and
 * compares the base model with the adapter on train and held-out samples (label accuracy, mean
 * log-probability of the gold label), to tune steps and learning rate. Usage:
 *   node --import tsx bench/conpet/diag.mts SUITE/TASK LABEL,LABEL,… STEPS LR RANK TARGETS
 *   e.g. code-lang/langs-1 c,go,python,rust 120 0.005 8 q,k,v,o
 */
import {readFileSync} from "node:fs";
import {EngineClient} from "../../src/engine/client/EngineClient";
import {TrainerClient} from "../../src/trainer/TrainerClient";
import {formatCompletion, formatPrompt} from "../../src/core/formatPrompt";
const [task, labelsText, steps, lr, rank, targets] = process.argv.slice(2);
const labels = labelsText!.split(",");
const read = (f: string) => readFileSync(f, "utf8").trim().split("\n").map((l) => JSON.parse(l) as {input: string; output: string});
const train = read(`/work/shared/data/${task}/train.jsonl`), test = read(`/work/shared/data/${task}/test.jsonl`).slice(0, 100);
const instruction = JSON.parse(readFileSync(`/work/shared/data/${task}/task.json`, "utf8")).description;
const prompt = (input: string) => formatPrompt({instruction, input});
const completion = (output: string) => formatCompletion(output);
const trainer = new TrainerClient({});
const engine = new EngineClient({entryPath: "/work/main/dist/engine.mjs"});
const out = `/tmp/cb/diag-${process.pid}.gguf`;
const t0 = Date.now();
const losses: number[] = [];
const done = await trainer.train({modelPath: "/work/shared/models/stories260K.gguf", outputPath: out, samples: train.map((s) => ({prompt: prompt(s.input), completion: completion(s.output)})),
    lora: {rank: Number(rank), alpha: 2 * Number(rank), targetModules: targets!.split(",")}, steps: Number(steps), batchSize: 8, learningRate: Number(lr), lrSchedule: "cosine", seed: 42, threads: 1, gpuLayers: 0, contextSize: 256},
    {onEvent: (e) => { if (e.type === "progress") losses.push(e.loss); }});
console.log(`trained ${done.seconds.toFixed(1)} s, ${done.tokensPerSecond.toFixed(0)} tok/s, loss ${losses.filter((_, i) => i % Math.ceil(losses.length / 8) === 0).map((l) => l.toFixed(3)).join(" ")} final ${done.finalLoss.toFixed(3)}`);
await engine.load({modelPath: "/work/shared/models/stories260K.gguf", gpuLayers: 0, threads: 1});
for (const [name, set] of [["train", train.slice(0, 100)], ["test", test]] as const) {
    for (const adapters of [[], [{filePath: out, scale: 1}]]) {
        const r = await engine.score({adapters, items: set.map((s) => ({prompt: prompt(s.input), completions: labels.map(completion)}))});
        const acc = r.logProbs.filter((row, i) => labels[row.indexOf(Math.max(...row))] === set[i]!.output).length / set.length;
        console.log(`${name} ${adapters.length ? "lora" : "base"} acc ${acc.toFixed(3)} mean logp of gold ${(r.logProbs.reduce((s, row, i) => s + row[labels.indexOf(set[i]!.output)]!, 0) / set.length).toFixed(3)}`);
    }
}
console.log(`total ${(Date.now() - t0) / 1000} s`);
engine.dispose(); trainer.dispose();
