/**
 * GPU offload check for a machine with a GPU (not part of CI, which has none): loads the model on
 * the CPU and fully offloaded, reports the backend, offloaded layers and VRAM, and compares scores,
 * greedy generation and embeddings between the two. Writes bench/results/engine-gpu.json.
 *
 *   node --import tsx bench/engine/checkEngineGpu.ts [--model PATH] [--out FILE]
 */
import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {parseArgs} from "node:util";
import {EngineClient} from "../../src/engine/client/EngineClient";
import type {LoadParams, ModelInfo} from "../../src/vocabulary/engineProtocol";
import {resolveEngineEntryPath} from "../../src/engine/client/resolveEngineEntryPath";
import {repositoryRoot} from "../../test/model/engineTestClient";
import {getTestModelPath} from "../../test/utils/modelFiles";

const {values: args} = parseArgs({
    options: {
        model: {type: "string"},
        out: {type: "string", default: path.join(repositoryRoot, "bench/results/engine-gpu.json")}
    },
    strict: true
});
const modelPath = args.model ?? getTestModelPath();
const items = [
    {prompt: "Once upon a time, there was a little", completions: ["girl", "dog", "refrigerator"]},
    {prompt: "Tom was sad because", completions: ["he lost his ball", "it rained", "quantum"]}
];
const texts = ["The cat sat on the mat.", "The dog sat on the mat.", "Quantum chromodynamics on a lattice"];

async function run(gpuLayers: LoadParams["gpuLayers"]): Promise<{info: ModelInfo; logProbs: number[][]; text: string; vectors: number[][]}> {
    const client = new EngineClient({entryPath: resolveEngineEntryPath(repositoryRoot), onLog: (level, message) => level !== "debug" && console.log(`[engine ${level}] ${message}`)});
    try {
        const info = await client.load({modelPath, gpuLayers, threads: 0, contextSize: 512});
        const {logProbs} = await client.score({items});
        const {text} = await client.generate({prompt: "Once upon a time", maxTokens: 48, stopStrings: []});
        const {vectors} = await client.embed({texts});
        return {info: (await client.info()) ?? info, logProbs, text, vectors};
    } finally {
        client.dispose();
    }
}

const cpu = await run(0);
const gpu = await run("max");
const maxScoreDifference = Math.max(...cpu.logProbs.flatMap((row, i) => row.map((value, j) => Math.abs(value - gpu.logProbs[i]![j]!))));
const maxEmbeddingDifference = Math.max(...cpu.vectors.flatMap((row, i) => row.map((value, j) => Math.abs(value - gpu.vectors[i]![j]!))));
const result = {
    date: new Date().toISOString(),
    model: modelPath,
    cpu: {backend: cpu.info.backend, gpuLayers: cpu.info.gpuLayers, rssBytes: cpu.info.rssBytes},
    gpu: {backend: gpu.info.backend, gpuLayers: gpu.info.gpuLayers, layers: gpu.info.layers, vramUsedBytes: gpu.info.vramUsedBytes, rssBytes: gpu.info.rssBytes},
    maxScoreDifference,
    maxEmbeddingDifference,
    sameGreedyText: cpu.text === gpu.text,
    cpuText: cpu.text,
    gpuText: gpu.text,
    cpuLogProbs: cpu.logProbs,
    gpuLogProbs: gpu.logProbs
};
console.log(JSON.stringify(result, null, 2));
const checks: [string, boolean][] = [
    ["GPU backend in use", gpu.info.backend !== "cpu"],
    ["all layers offloaded", gpu.info.gpuLayers === gpu.info.layers],
    ["CPU run stays on the CPU", cpu.info.backend === "cpu" && cpu.info.gpuLayers === 0],
    ["scores agree (< 0.05)", maxScoreDifference < 0.05],
    ["embeddings agree (< 0.01)", maxEmbeddingDifference < 0.01]
];
for (const [name, ok] of checks)
    console.log(`${ok ? "PASS" : "FAIL"} ${name}`);
await mkdir(path.dirname(args.out), {recursive: true});
await writeFile(args.out, `${JSON.stringify({...result, checks: Object.fromEntries(checks)}, null, 2)}\n`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
