/**
 * Prints the markdown table of every `bench/results/bench-*.json` (one row per run), for the
 * README. A run whose settings differ from the shipped defaults says how in its mode column.
 * Usage: node --import tsx bench/conpet/formatResultsTable.ts [results folder]
 */
import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import type {BenchmarkReport} from "../../src/core/Benchmark/types";
import {defaultConpetSettings as defaults, type ConpetSettings} from "../../src/core/settings/conpetSettingsSchema";

const directory = process.argv[2] ?? path.resolve(import.meta.dirname, "../results");
const reports = readdirSync(directory).filter((f) => /^bench-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(path.join(directory, f), "utf8")) as BenchmarkReport)
    .sort((a, b) => a.suite.localeCompare(b.suite) || order(a) - order(b) || describeVariant(a).localeCompare(describeVariant(b)));
const pct = (v: number | null | undefined) => v == null ? "–" : (v * 100).toFixed(1);
console.log("| suite | mode | average acc. % | oracle avg. acc. % | whole acc. % | forgetting pts | selector (router) acc. % | selector ECE pts | char. similarity % | train s per task | train k tokens per task | trainable / model params |");
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |");
for (const r of reports) {
    const mode = `${r.mode}${r.selector === null ? "" : ` (${r.selector})`}${describeVariant(r)}`;
    const params = r.mode === "classic" ? "no LLM" : `${r.trainable_parameters} / ${r.model_parameters}`;
    console.log(`| ${r.suite} | ${mode} | ${pct(r.average_accuracy)} | ${pct(r.oracle_average_accuracy)} | ${pct(r.whole_accuracy)} | ${pct(r.forgetting)} | ${pct(r.selector_accuracy)} | ${pct(r.selector_calibration_error)} | ${pct(r.average_similarity)} | ${r.train_seconds_per_task.map((s) => s.toFixed(r.mode === "classic" ? 1 : 0)).join(" / ")} | ${formatTokens(r)} | ${params} |`);
}

/** Older reports (before `train_tokens_per_task` was recorded) print a dash. */
function formatTokens(r: Partial<BenchmarkReport>): string {
    return r.train_tokens_per_task?.map((t) => (t / 1000).toFixed(0)).join(" / ") ?? "–";
}

function order(r: BenchmarkReport): number {
    return ["classic:null", "dynamic:embedding", "dynamic:lora", "static:null", "sequential:null", "joint:null"].indexOf(`${r.mode}:${r.selector}`);
}

/** The settings a run changed from the shipped defaults, e.g. `, rank 32, 1000 steps`; empty for a default run. */
function describeVariant(r: BenchmarkReport): string {
    if (r.mode === "classic")
        return "";
    const settings = r.settings as Partial<ConpetSettings>;
    const changes: string[] = [];
    if (settings.lora !== undefined && settings.lora.rank !== defaults.lora.rank)
        changes.push(`rank ${settings.lora.rank}`);
    if (settings.lora !== undefined && settings.lora.targetModules.join(",") !== defaults.lora.targetModules.join(","))
        changes.push(settings.lora.targetModules.join(","));
    if (settings.stepsPerTask !== undefined && settings.stepsPerTask !== defaults.stepsPerTask)
        changes.push(`${settings.stepsPerTask} steps`);
    if (settings.learningRate !== undefined && settings.learningRate !== defaults.learningRate)
        changes.push(`lr ${settings.learningRate}`);
    // Routing exists in dynamic mode only.
    if (r.mode === "dynamic" && settings.topK !== undefined && settings.topK !== defaults.topK)
        changes.push(`top-${settings.topK}`);
    if (r.mode === "static" || r.selector === "lora") {
        if (settings.balancedReplay === false || settings.balancedReplay === undefined)
            changes.push(`fixed replay ${settings.replayRatio}`);
    }
    return changes.length === 0 ? "" : `, ${changes.join(", ")}`;
}
