/**
 * Re-answers the test sets stored by a finished `conpet bench --store DIR` run with another label
 * normalisation (sum or mean log-probability) or top-k, without retraining: measures which one works.
 * Also prints the seconds spent answering and how many task modules had their labels scored per input
 * (top-k scores a lower-ranked module only where it can still win).
 * Usage: node --import tsx bench/conpet/rescore.mts STORE_DIR MODE sum|mean [topK]
 */
import path from "node:path";
import type {ConpetMode, LabelScoring} from "../../src/core/settings/conpetSettingsSchema";
import {resolveConpetSettings} from "../../src/core/settings/resolveConpetSettings";
import {createStrategy} from "../../src/core/strategies/createStrategy";
import {EngineClient} from "../../src/engine/client/EngineClient";
import {resolveEngineEntryPath} from "../../src/engine/client/resolveEngineEntryPath";
import {ConpetStore} from "../../src/store/ConpetStore";

const [directory, mode, scoring, topK = "1"] = process.argv.slice(2);
const modelPath = path.resolve(import.meta.dirname, "../../../shared/models/stories260K.gguf");
const store = await ConpetStore.open({directory: directory!});
const engine = new EngineClient({entryPath: resolveEngineEntryPath(path.resolve(import.meta.dirname, "../.."))});
try {
    const info = await engine.load({modelPath, gpuLayers: 0, threads: 1});
    const settings = resolveConpetSettings({modelPath, mode: mode as ConpetMode, labelScoring: scoring as LabelScoring, topK: Number(topK)});
    const strategy = createStrategy({store, engine, trainer: {train: () => Promise.reject(new Error("no training here"))}, settings, modelPath, modelFingerprint: info.fingerprint, cpuThreads: info.threads, embeddingCache: new Map()});
    const row: string[] = [];
    let seconds = 0;
    let answered = 0;
    let modulesScored = 0;
    for (const task of await store.listTasks()) {
        const test = await store.listSamples(task.id, {split: "test"});
        const started = performance.now();
        const predictions = await strategy.predict(test.map((s) => s.input));
        seconds += (performance.now() - started) / 1000;
        answered += predictions.length;
        modulesScored += predictions.reduce((sum, p) => sum + new Set(p.labelScores?.map((s) => s.task)).size, 0);
        row.push(`${task.name} ${(predictions.filter((p, i) => p.output === test[i]!.output).length / test.length).toFixed(3)}`);
    }
    console.log(`${mode} ${scoring} top-${topK}: ${row.join("  ")}  (${seconds.toFixed(1)} s, ${(modulesScored / answered).toFixed(2)} modules scored per input)`);
} finally {
    engine.dispose();
    await store.dispose();
}
