/** Shared setup of the engine model tests: the real bundled engine (`npm run build` → dist/engine.mjs) on the reference model. */
import {existsSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {EngineClient, type EngineClientOptions} from "../../src/engine/client/EngineClient";
import type {LoadParams} from "../../src/vocabulary/engineProtocol";
import {resolveEngineEntryPath} from "../../src/engine/client/resolveEngineEntryPath";
import {getTestModelPath} from "../utils/modelFiles";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function getEngineEntryPath(): string {
    const entryPath = resolveEngineEntryPath(repositoryRoot);
    if (!existsSync(entryPath))
        throw new Error(`${entryPath} is missing: run "npm run build" before the engine model tests.`);
    return entryPath;
}

/** CPU only and one thread: on the 2-core CI machine more threads than free cores is far slower. */
export function getTestLoadParams(overrides: Partial<LoadParams> = {}): LoadParams {
    return {modelPath: getTestModelPath(), gpuLayers: 0, threads: 1, contextSize: 256, ...overrides};
}

export function createTestEngineClient(options: Partial<EngineClientOptions> = {}): EngineClient {
    return new EngineClient({entryPath: getEngineEntryPath(), ...options});
}

export function cosine(a: readonly number[], b: readonly number[]): number {
    let dot = 0;
    let normA = 0;
    let normB = 0;
    a.forEach((value, index) => {
        const other = b[index] ?? 0;
        dot += value * other;
        normA += value * value;
        normB += other * other;
    });
    return dot / Math.sqrt(normA * normB);
}

/** The largest absolute difference between two score tables of the same shape. */
export function maxDifference(a: number[][], b: number[][]): number {
    return Math.max(...a.flatMap((row, i) => row.map((value, j) => Math.abs(value - b[i]![j]!))));
}
