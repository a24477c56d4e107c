/**
 * Shared setup of the core's model tests: a real store in a temporary folder, the real engine
 * (dist/engine.mjs) and the real trainer (native/build/bin/conpet-train) on the reference model,
 * and small task subsets of the shared suites.
 */
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {readSuite} from "../../../src/core/importExport/readSuite";
import type {ConpetSettingsInput} from "../../../src/core/settings/conpetSettingsSchema";
import {resolveConpetSettings} from "../../../src/core/settings/resolveConpetSettings";
import type {StrategyContext} from "../../../src/core/strategies/types";
import type {Task} from "../../../src/vocabulary/types";
import type {EngineClient} from "../../../src/engine/client/EngineClient";
import {ConpetStore} from "../../../src/store/ConpetStore";
import {TrainerClient} from "../../../src/trainer/TrainerClient";
import {getTestModelPath, testDataDirectory} from "../../utils/modelFiles";
import {createTestEngineClient, getTestLoadParams} from "../engineTestClient";

export type CoreFixture = {
    directory: string;
    store: ConpetStore;
    engine: EngineClient;
    trainer: TrainerClient;
    modelPath: string;
    fingerprint: string;
    /** `ModelInfo.threads` of the loaded engine. */
    threads: number;
    dispose(): Promise<void>;
};

/** Few steps, small batches, one thread: enough to exercise every path in seconds on 2 cores. */
export const smallSettings: ConpetSettingsInput = {stepsPerTask: 6, batchSize: 4, learningRate: 1e-2, threads: 1, selectorSamplesPerTask: 40, maxInputChars: 160, contextSize: 128};

export async function createCoreFixture(): Promise<CoreFixture> {
    const directory = await mkdtemp(path.join(tmpdir(), "conpet-core-"));
    const store = await ConpetStore.open({directory});
    const engine = createTestEngineClient();
    const info = await engine.load(getTestLoadParams());
    const trainer = new TrainerClient();
    return {
        directory, store, engine, trainer, modelPath: getTestModelPath(), fingerprint: info.fingerprint, threads: info.threads,
        async dispose() {
            trainer.dispose();
            engine.dispose();
            await store.dispose();
            await rm(directory, {recursive: true, force: true});
        }
    };
}

export function createStrategyContext(fixture: CoreFixture, settings: ConpetSettingsInput): StrategyContext {
    const resolved = resolveConpetSettings({...smallSettings, ...settings, modelPath: fixture.modelPath});
    return {
        store: fixture.store, engine: fixture.engine, trainer: fixture.trainer, settings: resolved,
        modelPath: fixture.modelPath, modelFingerprint: fixture.fingerprint, cpuThreads: fixture.threads, embeddingCache: new Map()
    };
}

/** Creates a task of a shared suite in the store with its first `train` and `test` samples. */
export async function addSuiteTask(store: ConpetStore, suite: string, folder: string, counts: {train: number; test: number}): Promise<{task: Task; test: {input: string; output: string}[]}> {
    const [suiteTask] = (await readSuite(path.join(testDataDirectory, suite, folder))).tasks;
    const task = await store.createTask(suiteTask!.task);
    const train = suiteTask!.samples.train.slice(0, counts.train);
    const test = suiteTask!.samples.test.slice(0, counts.test);
    await store.addSamples(task.id, [...train.map((s) => ({...s, split: "train" as const})), ...test.map((s) => ({...s, split: "test" as const}))]);
    return {task, test};
}
