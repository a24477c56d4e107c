/**
 * Prints the markdown table of every `bench/results/bench-*.json` (one row per suite and mode),
 * for the README. Usage: node --import tsx bench/conpet/formatResultsTable.ts [results folder]
 */
import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import type {BenchmarkReport} from "../../src/core/Benchmark/runBenchmark";

const directory = process.argv[2] ?? path.resolve(import.meta.dirname, "../results");
const reports = readdirSync(directory).filter((f) => /^bench-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(path.join(directory, f), "utf8")) as BenchmarkReport)
    .sort((a, b) => a.suite.localeCompare(b.suite) || order(a) - order(b));
const pct = (v: number | null) => v === null ? "–" : (v * 100).toFixed(1);
console.log("| suite | mode | average acc. % | whole acc. % | forgetting pts | selector acc. % | train s per task | tokens/s | trainable / model params |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |");
for (const r of reports)
    console.log(`| ${r.suite} | ${r.mode}${r.selector === null ? "" : ` (${r.selector})`} | ${pct(r.average_accuracy)} | ${pct(r.whole_accuracy)} | ${pct(r.forgetting)} | ${pct(r.selector_accuracy)} | ${r.train_seconds_per_task.map((s) => s.toFixed(0)).join(" / ")} | ${r.train_tokens_per_second.toFixed(0)} | ${r.trainable_parameters} / ${r.model_parameters} |`);

function order(r: BenchmarkReport): number {
    return ["dynamic:embedding", "dynamic:lora", "static:null", "sequential:null", "joint:null"].indexOf(`${r.mode}:${r.selector}`);
}
