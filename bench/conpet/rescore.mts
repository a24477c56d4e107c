/**
 * Re-answers the test sets stored by a finished `conpet bench --store DIR` run with another label
 * normalisation (sum or mean log-probability), without retraining: measures which one works.
 * Usage: node --import tsx bench/conpet/rescore.mts STORE_DIR MODE sum|mean [topK]
 */
import path from "node:path";
import {resolveConpetSettings, type ConpetMode, type LabelScoring} from "../../src/core/Conpet/resolveConpetSettings";
import {createStrategy} from "../../src/core/strategies/createStrategy";
import {EngineClient} from "../../src/engine/EngineClient";
import {resolveEngineEntryPath} from "../../src/engine/resolveEngineEntryPath";
import {ConpetStore} from "../../src/store/ConpetStore";

const [directory, mode, scoring, topK = "1"] = process.argv.slice(2);
const modelPath = path.resolve(import.meta.dirname, "../../../shared/models/stories260K.gguf");
const store = await ConpetStore.open({directory: directory!});
const engine = new EngineClient({entryPath: resolveEngineEntryPath(path.resolve(import.meta.dirname, "../.."))});
try {
    const info = await engine.load({modelPath, gpuLayers: 0, threads: 1});
    const settings = resolveConpetSettings({modelPath, mode: mode as ConpetMode, labelScoring: scoring as LabelScoring, topK: Number(topK)});
    const strategy = createStrategy({store, engine, trainer: {train: () => Promise.reject(new Error("no training here"))}, settings, modelPath, modelFingerprint: info.fingerprint, embeddingCache: new Map()});
    const row: string[] = [];
    for (const task of await store.listTasks()) {
        const test = await store.listSamples(task.id, {split: "test"});
        const predictions = await strategy.predict(test.map((s) => s.input));
        row.push(`${task.name} ${(predictions.filter((p, i) => p.output === test[i]!.output).length / test.length).toFixed(3)}`);
    }
    console.log(`${mode} ${scoring} top-${topK}: ${row.join("  ")}`);
} finally {
    engine.dispose();
    await store.dispose();
}
