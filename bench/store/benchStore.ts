/**
 * Store benchmark: fills a real SQLite file with 100 tasks and 100,000 samples, then times the
 * reads the UI does. Prints a table and writes bench/results/store.json.
 *
 *   npx tsx bench/store/benchStore.ts [--tasks 100] [--samples-per-task 1000] [--keep]
 *   npm run bench:store
 */
import {mkdtemp, rename, rm, stat, writeFile, mkdir} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {createRandom} from "../../src/vocabulary/createRandom";
import {ConpetStore, databaseFileName} from "../../src/store/ConpetStore";
import type {NewSample} from "../../src/vocabulary/types";

const {values} = parseArgs({
    options: {
        "tasks": {type: "string", default: "100"},
        "samples-per-task": {type: "string", default: "1000"},
        "repeat": {type: "string", default: "50"},
        "keep": {type: "boolean", default: false}
    },
    strict: true
});
const taskCount = Number(values.tasks);
const samplesPerTask = Number(values["samples-per-task"]);
const repeat = Number(values.repeat);
const testShare = 0.2;
const labels = ["error", "warning", "info", "debug"];
const resultsFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../results/store.json");

type Timing = {operation: string; iterations: number; medianMs: number; p95Ms: number; meanMs: number};

async function time(operation: string, iterations: number, fn: (iteration: number) => Promise<unknown>): Promise<Timing> {
    await fn(0); // warm the page cache and prepared statements, as a UI that has been open a while
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
        const started = process.hrtime.bigint();
        await fn(i);
        samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    samples.sort((a, b) => a - b);
    const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
    return {operation, iterations, medianMs: pick(0.5), p95Ms: pick(0.95), meanMs: samples.reduce((a, b) => a + b, 0) / samples.length};
}

function makeSamples(random: ReturnType<typeof createRandom>, count: number, offset: number): NewSample[] {
    return Array.from({length: count}, (_, i) => ({
        input: `2026-11-26T03:${String(i % 60).padStart(2, "0")}:00Z worker-${random.int(64)} request ${offset + i} took ${random.int(5000)} ms; ` +
            `path=/api/v1/items/${random.int(100000)} status=${[200, 404, 500][random.int(3)]} retry=${random.int(3)}`,
        output: labels[random.int(labels.length)]!,
        split: i < count * testShare ? "test" : "train",
        source: {kind: "import", file: "/data/logs.jsonl"}
    }));
}

const directory = await mkdtemp(path.join(os.tmpdir(), "conpet-bench-store-"));
const store = await ConpetStore.open({directory});
const random = createRandom(1);
try {
    const fillStarted = Date.now();
    const taskIds: number[] = [];
    for (let t = 0; t < taskCount; t++) {
        const task = await store.createTask({name: `task-${t}`, instruction: `Classify log line kind ${t}`, kind: "classify", labels});
        await store.addSamples(task.id, makeSamples(random, samplesPerTask, t * samplesPerTask));
        taskIds.push(task.id);
    }
    const fillSeconds = (Date.now() - fillStarted) / 1000;
    const totalSamples = await store.countSamples();
    const middle = taskIds[Math.floor(taskIds.length / 2)]!;
    const trainPerTask = samplesPerTask * (1 - testShare);

    const timings: Timing[] = [
        await time("listTasks (100 tasks)", repeat, () => store.listTasks()),
        await time("countSamplesByTask (train/test of every task)", repeat, () => store.countSamplesByTask()),
        await time("countSamples({taskId, split})", repeat, (i) => store.countSamples({taskId: taskIds[i % taskIds.length]!, split: "train"})),
        await time("countSamples() (all 100k)", repeat, () => store.countSamples()),
        await time("listSamples page (50 rows at offset 500, one task, train)", repeat, (i) => store.listSamples(taskIds[i % taskIds.length]!, {split: "train", limit: 50, offset: 500})),
        await time("listSamples (whole task, 1000 rows)", repeat, (i) => store.listSamples(taskIds[i % taskIds.length]!)),
        await time(`getSamplesHash (${trainPerTask} train samples)`, repeat, (i) => store.getSamplesHash(taskIds[i % taskIds.length]!)),
        await time(`reservoir insert (100 samples into a task at cap ${trainPerTask})`, repeat, (i) => store.addSamples(middle, makeSamples(random, 100, 1e6 + i * 100).map((sample) => ({...sample, split: "train"})), {cap: trainPerTask, seed: i})),
        await time("addSamples (10 samples, no cap)", repeat, (i) => store.addSamples(taskIds[i % taskIds.length]!, makeSamples(random, 10, 2e6 + i * 10)))
    ];
    const databaseBytes = (await stat(path.join(directory, databaseFileName))).size;

    const width = Math.max(...timings.map((timing) => timing.operation.length));
    console.log(`Store benchmark: ${taskCount} tasks, ${totalSamples} samples, database ${(databaseBytes / 2 ** 20).toFixed(1)} MiB; filled in ${fillSeconds.toFixed(1)} s (one transaction per task)`);
    console.log(`${"operation".padEnd(width)}  median ms  p95 ms  mean ms`);
    for (const timing of timings)
        console.log(`${timing.operation.padEnd(width)}  ${timing.medianMs.toFixed(3).padStart(9)}  ${timing.p95Ms.toFixed(3).padStart(6)}  ${timing.meanMs.toFixed(3).padStart(7)}`);

    const report = {
        createdAt: new Date().toISOString(),
        machine: {platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", node: process.version, loadAverage1m: os.loadavg()[0]},
        setup: {tasks: taskCount, samplesPerTask, totalSamples, testShare, repeat, databaseBytes, fillSeconds},
        timings
    };
    await mkdir(path.dirname(resultsFile), {recursive: true});
    await writeFile(`${resultsFile}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
    await rename(`${resultsFile}.tmp`, resultsFile);
    console.log(`Wrote ${path.relative(process.cwd(), resultsFile)}`);
} finally {
    await store.dispose();
    if (values.keep)
        console.log(`Kept the store at ${directory}`);
    else
        await rm(directory, {recursive: true, force: true});
}
