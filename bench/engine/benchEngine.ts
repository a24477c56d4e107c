/**
 * Engine benchmark: process start and model load, label scoring throughput (with and without a
 * LoRA adapter, with a shared task instruction and with unrelated prompts), generation and
 * embedding throughput, and memory. Prints a table and writes bench/results/engine.json.
 *
 *   node --import tsx bench/engine/benchEngine.ts [--model PATH] [--gpu-layers auto|max|N] [--threads N] [--items N] [--sequences N] [--out FILE]
 *
 * Needs `npm run build` (the real engine process, dist/engine.mjs).
 */
import {mkdir, mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {parseArgs} from "node:util";
import {readGgufFileInfo} from "node-llama-cpp";
import {EngineClient} from "../../src/engine/client/EngineClient";
import type {GpuLayersSetting, LoadParams} from "../../src/vocabulary/engineProtocol";
import {resolveEngineEntryPath} from "../../src/engine/client/resolveEngineEntryPath";
import {createSeededUniform, writeLoraAdapter} from "../../test/unit/engineGgufFixtures";
import {repositoryRoot} from "../../test/model/engineTestClient";
import {getTestModelPath} from "../../test/utils/modelFiles";

const {values: args} = parseArgs({
    options: {
        "model": {type: "string"},
        "gpu-layers": {type: "string", default: "auto"},
        "threads": {type: "string", default: "1"},
        "items": {type: "string", default: "200"},
        "sequences": {type: "string", default: "4"},
        "out": {type: "string", default: path.join(repositoryRoot, "bench/results/engine.json")}
    },
    strict: true
});

const modelPath = args.model ?? getTestModelPath();
const gpuLayersArg = args["gpu-layers"];
const gpuLayers: GpuLayersSetting = gpuLayersArg === "auto" || gpuLayersArg === "max" ? gpuLayersArg : Number(gpuLayersArg);
const loadParams: LoadParams = {modelPath, gpuLayers, threads: Number(args.threads), contextSize: 512, sequences: Number(args.sequences)};
const itemCount = Number(args.items);
const labels = ["error", "warning", "info"];
const instruction = "Classify the log line as error, warning or info.\nLine: ";

async function time<T>(run: () => Promise<T>): Promise<{result: T; seconds: number}> {
    const started = process.hrtime.bigint();
    const result = await run();
    return {result, seconds: Number(process.hrtime.bigint() - started) / 1e9};
}

function logLines(count: number, seed: number): string[] {
    const random = createSeededUniform(seed, 1);
    const words = ["disk", "full", "connection", "reset", "user", "logged", "in", "retrying", "timeout", "cache", "miss", "request", "served", "slowly"];
    return Array.from({length: count}, (_, index) => Array.from({length: 6 + (index % 5)}, () => words[Math.floor((random() + 1) / 2 * words.length) % words.length]).join(" "));
}

const client = new EngineClient({entryPath: resolveEngineEntryPath(repositoryRoot), requestTimeoutMs: 0, loadTimeoutMs: 0});
const scratch = await mkdtemp(path.join(os.tmpdir(), "conpet-bench-engine-"));
try {
    const coldLoad = await time(() => client.load(loadParams));
    const warmLoad = await time(() => client.load(loadParams));
    const info = coldLoad.result;

    // A rank-8 adapter on q, k, v, o of every block, like a task module.
    const fileInfo = await readGgufFileInfo(modelPath, {logWarnings: false});
    const targets = Object.fromEntries((fileInfo.tensorInfo ?? [])
        .filter((tensor) => /^blk\.\d+\.attn_(q|k|v|output)\.weight$/.test(tensor.name))
        .map((tensor) => [tensor.name, tensor.dimensions.map(Number)]));
    const adapterPath = path.join(scratch, "adapter.gguf");
    await writeLoraAdapter(adapterPath, {targets, rank: 8, alpha: 16, a: createSeededUniform(1, 0.05), b: createSeededUniform(2, 0.05)});

    const sharedItems = logLines(itemCount, 3).map((line) => ({prompt: `${instruction}${line}\nLabel:`, completions: labels}));
    // Unrelated prompts: nothing reusable from the KV cache between items.
    const unrelatedItems = logLines(itemCount, 4).map((line, index) => ({prompt: `${index} ${line}. ${instruction}${line}\nLabel:`, completions: labels}));

    await client.score({items: sharedItems.slice(0, 5)});
    const scoreShared = await time(() => client.score({items: sharedItems}));
    const scoreUnrelated = await time(() => client.score({items: unrelatedItems}));
    const adapterFirst = await time(() => client.score({items: sharedItems.slice(0, 1), adapters: [{filePath: adapterPath}]}));
    const scoreAdapter = await time(() => client.score({items: sharedItems, adapters: [{filePath: adapterPath}]}));

    const generation = await time(() => client.generate({prompt: "Once upon a time", maxTokens: 128, stopStrings: []}));
    const texts = logLines(itemCount, 5);
    const embedding = await time(() => client.embed({texts}));
    const finalInfo = (await client.info())!;

    const results = {
        date: new Date().toISOString(),
        machine: {cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", platform: `${os.platform()}-${os.arch()}`, node: process.version},
        model: {path: modelPath, architecture: info.architecture, fileType: info.fileType, parameters: info.parameters, fingerprint: info.fingerprint},
        settings: {...loadParams, items: itemCount, labels: labels.length},
        backend: info.backend,
        gpuLayers: info.gpuLayers,
        layers: info.layers,
        processStartAndLoadSeconds: coldLoad.seconds,
        reloadSeconds: warmLoad.seconds,
        scoreItemsPerSecond: {
            sharedInstruction: itemCount / scoreShared.seconds,
            unrelatedPrompts: itemCount / scoreUnrelated.seconds,
            withAdapter: itemCount / scoreAdapter.seconds
        },
        adapterContextCreateSeconds: adapterFirst.seconds,
        generateTokensPerSecond: generation.result.tokens / generation.seconds,
        embedTextsPerSecond: itemCount / embedding.seconds,
        rssBytes: finalInfo.rssBytes,
        vramUsedBytes: finalInfo.vramUsedBytes
    };

    const rows: [string, string][] = [
        ["model", `${path.basename(modelPath)} (${info.architecture}, ${info.fileType}, ${info.parameters} params)`],
        ["backend", `${info.backend}, ${info.gpuLayers}/${info.layers} layers offloaded, threads ${loadParams.threads}, sequences ${loadParams.sequences}`],
        ["process start + load", `${coldLoad.seconds.toFixed(2)} s`],
        ["reload", `${warmLoad.seconds.toFixed(2)} s`],
        ["score, shared instruction", `${results.scoreItemsPerSecond.sharedInstruction.toFixed(1)} items/s (${labels.length} labels each)`],
        ["score, unrelated prompts", `${results.scoreItemsPerSecond.unrelatedPrompts.toFixed(1)} items/s`],
        ["score, with LoRA adapter", `${results.scoreItemsPerSecond.withAdapter.toFixed(1)} items/s (context create ${adapterFirst.seconds.toFixed(3)} s)`],
        ["generate", `${results.generateTokensPerSecond.toFixed(1)} tokens/s`],
        ["embed", `${results.embedTextsPerSecond.toFixed(1)} texts/s`],
        ["engine RSS", `${(finalInfo.rssBytes / 2 ** 20).toFixed(1)} MiB`],
        ["VRAM used", `${(finalInfo.vramUsedBytes / 2 ** 20).toFixed(1)} MiB`]
    ];
    for (const [name, value] of rows)
        console.log(`${name.padEnd(28)} ${value}`);

    await mkdir(path.dirname(args.out), {recursive: true});
    await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${args.out}`);
} finally {
    client.dispose();
    await rm(scratch, {recursive: true, force: true});
}
