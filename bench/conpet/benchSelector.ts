/**
 * How long the selector's classifier takes to retrain as the replay store grows: TF-IDF n-gram
 * counting, vocabulary, the held-out choice of L2 and dense weight (four fits on 80%), the
 * temperature and the final fit, over N samples drawn from every shared suite's training inputs
 * (inputs repeat past the ~5,900 there are; the cost does not depend on that). The dense group is
 * a 64-number vector per input, as stories260K's pooled states (the engine's embedding time is
 * not included: it is cached per input). Prints wall and CPU seconds per size and writes JSON.
 * Usage: node --import tsx bench/conpet/benchSelector.ts [--report out.json] [sizes…]
 */
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import path from "node:path";
import {TextClassifier} from "../../src/core/Selector/TextClassifier";
import {createRandom} from "../../src/vocabulary/createRandom";

const args = process.argv.slice(2);
const reportIndex = args.indexOf("--report");
const reportPath = reportIndex >= 0 ? args[reportIndex + 1] : undefined;
const sizes = args.filter((_, i) => reportIndex < 0 || (i !== reportIndex && i !== reportIndex + 1)).map(Number);
const dataDirectory = path.resolve(import.meta.dirname, "../../../shared/data");

const pool: {text: string; task: string}[] = [];
for (const suite of readdirSync(dataDirectory)) {
    const tasks = (JSON.parse(readFileSync(path.join(dataDirectory, suite, "suite.json"), "utf8")) as {tasks: string[]}).tasks;
    for (const task of tasks)
        for (const line of readFileSync(path.join(dataDirectory, suite, task, "train.jsonl"), "utf8").split("\n").filter(Boolean))
            pool.push({text: (JSON.parse(line) as {input: string}).input, task: `${suite}/${task}`});
}
const taskNames = [...new Set(pool.map((p) => p.task))];
const random = createRandom(7);
const results = [];
for (const size of sizes.length > 0 ? sizes : [1000, 5000, 10000]) {
    const samples = Array.from({length: size}, (_, i) => pool[i < pool.length ? i : random.int(pool.length)]!);
    const dense = samples.map(() => Array.from({length: 64}, () => random.next()));
    const started = performance.now(), cpuStarted = process.cpuUsage();
    const classifier = TextClassifier.train({texts: samples.map((s) => s.text), labels: samples.map((s) => taskNames.indexOf(s.task)), classes: taskNames.length, dense});
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    // CPU seconds are what a busy machine does not inflate; wall seconds are what a user waits.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const result = {samples: size, tasks: taskNames.length, seconds, cpu_seconds: cpuSeconds, held_out_accuracy: classifier.heldOut?.accuracy ?? null, load_average: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number)};
    results.push(result);
    console.log(`${size} samples, ${taskNames.length} tasks: ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU (held-out routing ${((result.held_out_accuracy ?? 0) * 100).toFixed(1)} %, load ${result.load_average.join(" ")})`);
}
if (reportPath !== undefined)
    writeFileSync(reportPath, JSON.stringify({created_at: new Date().toISOString(), node: process.version, results}, null, 2) + "\n");
