import {readFile, stat} from "node:fs/promises";
import path from "node:path";
import {ConpetError} from "../../vocabulary/errors";
import {checkLoraPairShape} from "./checkLoraPairShape";
import {conpetNoteFile, peftConfigFile, peftPickleFile, peftWeightsFile, type ConpetNote} from "./peftFiles";
import {parsePeftTensorName} from "./peftTensorNames";
import {reorderRotaryRowsOfB} from "./permuteRotaryRows";
import {readSafetensors, type SafetensorsTensor} from "./safetensors/readSafetensors";
import type {BaseModelInfo, LoraAdapter, LoraPair} from "./types";

/** GGUF architectures whose Hugging Face module names the mapping in `peftTensorNames` covers. */
const peftArchitectures: ReadonlySet<string> = new Set(["llama", "qwen2", "qwen3", "gemma", "gemma2", "gemma3"]);

export type PeftAdapter = LoraAdapter & {
    configPath: string;
    weightsPath: string;
    /** `base_model_name_or_path` of the config, for the log: a Hugging Face id cannot be checked against a GGUF file. */
    baseModelName: string | null;
};

type PeftConfig = {
    alpha: number;
    useRslora: boolean;
    /** Module names or suffixes (`v_proj`) and their alpha. */
    alphaPattern: [string, number][];
    baseModelName: string | null;
};

/**
 * Reads a PEFT LoRA adapter (a folder, or either of its `adapter_config.json` and
 * `adapter_model.safetensors`) and converts it to llama.cpp's layout for the base model: tensor
 * names mapped, B's q/k rows permuted where llama.cpp's converter permutes the base weights, each
 * pair's PEFT scale (`lora_alpha / r`, or `/ sqrt(r)` with rsLoRA, per-module `alpha_pattern`)
 * carried by `adapter.lora.alpha` and, where it differs per module, folded into B. Checked against
 * the base model's tensors and, for an adapter ConPET exported, its fingerprint. Throws
 * `ADAPTER_INVALID`, `ADAPTER_MISMATCH` and `MODEL_UNSUPPORTED`.
 */
export async function readPeftAdapter(inputPath: string, base: BaseModelInfo): Promise<PeftAdapter> {
    const {configPath, weightsPath} = await resolvePeftFiles(inputPath);
    const config = parsePeftConfig(await readJson(configPath), configPath);
    await checkConpetNote(path.join(path.dirname(configPath), conpetNoteFile), base);
    if (!peftArchitectures.has(base.architecture))
        throw new ConpetError(
            "MODEL_UNSUPPORTED",
            `PEFT adapters are converted for llama-family models (${[...peftArchitectures].join(", ")}); the base model is ${JSON.stringify(base.architecture)}. Convert the adapter with llama.cpp's convert_lora_to_gguf.py and import the .gguf file.`,
            {data: {architecture: base.architecture}}
        );

    const halves = new Map<string, {module: string; A?: SafetensorsTensor; B?: SafetensorsTensor}>();
    for (const [name, tensor] of await readSafetensors(weightsPath)) {
        const ref = parsePeftTensorName(name);
        if (ref === undefined)
            throw new ConpetError(
                "ADAPTER_INVALID",
                `${weightsPath} has the tensor ${name}, which is not the lora_A or lora_B of a llama-family projection (q/k/v/o_proj, gate/up/down_proj, lm_head). Embedding, modules_to_save and DoRA weights are not supported.`,
                {data: {weightsPath, tensor: name}}
            );
        const entry = halves.get(ref.target) ?? {module: ref.module};
        entry[ref.part] = tensor;
        halves.set(ref.target, entry);
    }
    if (halves.size === 0)
        throw new ConpetError("ADAPTER_INVALID", `${weightsPath} has no LoRA tensors.`, {data: {weightsPath}});

    const pairs: LoraPair[] = [];
    for (const [target, {module, A, B}] of halves) {
        if (A === undefined || B === undefined)
            throw new ConpetError("ADAPTER_INVALID", `${weightsPath} has the lora_${A === undefined ? "B" : "A"} of ${module} without its lora_${A === undefined ? "A" : "B"}.`, {data: {weightsPath, module}});
        // PEFT's LoRA layers are nn.Linear(in, r) and nn.Linear(r, out) whatever `fan_in_fan_out` says
        // (that flag only describes how the base weight is stored): A is [r, in], B is [out, r].
        if (A.shape.length !== 2 || B.shape.length !== 2 || A.shape[0] !== B.shape[1])
            throw new ConpetError("ADAPTER_INVALID", `${weightsPath}: the lora_A ${JSON.stringify(A.shape)} and lora_B ${JSON.stringify(B.shape)} of ${module} do not chain (lora_A [r, in], lora_B [out, r]).`, {data: {weightsPath, module}});
        const [rank, nIn] = A.shape as [number, number];
        const nOut = B.shape[0]!;
        checkLoraPairShape({target, rank, nIn, nOut}, base, weightsPath);
        let b = reorderRotaryRowsOfB({target, nOut, rank, b: B.data}, base, "toGguf");
        const factor = getScaleFactor(config, module, rank);
        if (factor !== 1)
            b = b.map((value) => value * factor);
        pairs.push({target, rank, nIn, nOut, a: A.data, b});
    }
    return {architecture: base.architecture, alpha: config.alpha, pairs, configPath, weightsPath, baseModelName: config.baseModelName};
}

async function resolvePeftFiles(inputPath: string): Promise<{configPath: string; weightsPath: string}> {
    const info = await stat(inputPath).catch(() => undefined);
    if (info === undefined)
        throw new ConpetError("ADAPTER_INVALID", `Nothing to import at ${inputPath}: the file or folder does not exist.`, {data: {inputPath}});
    const folder = info.isDirectory() ? inputPath : path.dirname(inputPath);
    const configPath = path.join(folder, peftConfigFile);
    const weightsPath = info.isFile() && inputPath.endsWith(".safetensors") ? inputPath : path.join(folder, peftWeightsFile);
    if (!await isFile(configPath))
        throw new ConpetError("ADAPTER_INVALID", `${folder} has no ${peftConfigFile}: a PEFT adapter is that file and ${peftWeightsFile}, as save_pretrained writes them.`, {data: {folder}});
    if (!await isFile(weightsPath)) {
        const pickle = await isFile(path.join(folder, peftPickleFile));
        throw new ConpetError(
            "ADAPTER_INVALID",
            pickle
                ? `${folder} holds the adapter as ${peftPickleFile} (a pickle, which runs code when read, so ConPET does not read it). Save it with save_pretrained(…, safe_serialization=True) to get ${peftWeightsFile}.`
                : `${folder} has no ${peftWeightsFile} beside ${peftConfigFile}.`,
            {data: {folder}}
        );
    }
    return {configPath, weightsPath};
}

function parsePeftConfig(raw: unknown, configPath: string): PeftConfig {
    const invalid = (reason: string) => new ConpetError("ADAPTER_INVALID", `${configPath}: ${reason}`, {data: {configPath}});
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
        throw invalid("not a JSON object.");
    const config = raw as Record<string, unknown>;
    if (config.peft_type !== undefined && config.peft_type !== "LORA")
        throw invalid(`a ${JSON.stringify(config.peft_type)} adapter; only LoRA adapters are imported.`);
    if (config.use_dora === true)
        throw invalid("a DoRA adapter (use_dora), which llama.cpp cannot apply. Train a plain LoRA adapter.");
    const r = config.r;
    if (typeof r !== "number" || !Number.isInteger(r) || r < 1)
        throw invalid(`"r" must be a positive integer, not ${JSON.stringify(r)}.`);
    const alpha = config.lora_alpha;
    if (typeof alpha !== "number" || !Number.isFinite(alpha) || alpha <= 0)
        throw invalid(`"lora_alpha" must be a positive number, not ${JSON.stringify(alpha)}.`);
    const patterns = config.alpha_pattern ?? {};
    if (typeof patterns !== "object" || patterns === null || Array.isArray(patterns))
        throw invalid("\"alpha_pattern\" must be an object.");
    const alphaPattern = Object.entries(patterns).map(([key, value]): [string, number] => {
        if (typeof value !== "number" || !(value > 0))
            throw invalid(`"alpha_pattern" of ${JSON.stringify(key)} must be a positive number.`);
        // PEFT reads keys as regular expressions; a key from a file is not compiled here (a crafted
        // one could backtrack for minutes), so only module names and their suffixes are taken.
        if (!/^[A-Za-z0-9_.]+$/.test(key))
            throw invalid(`"alpha_pattern" key ${JSON.stringify(key)} is a regular expression; only module names (like "v_proj" or "model.layers.0.self_attn.v_proj") are read.`);
        return [key, value];
    });
    return {
        alpha,
        useRslora: config.use_rslora === true,
        alphaPattern,
        baseModelName: typeof config.base_model_name_or_path === "string" ? config.base_model_name_or_path : null
    };
}

/**
 * What B must be multiplied by so that llama.cpp's scale, `adapter.lora.alpha / rank` with the
 * config's `lora_alpha`, equals PEFT's for this module; exactly 1 for a plain adapter.
 */
function getScaleFactor(config: PeftConfig, module: string, rank: number): number {
    // PEFT's match, `(.*\.)?key$`, for a key without regular-expression syntax.
    const alpha = config.alphaPattern.find(([key]) => module === key || module.endsWith(`.${key}`))?.[1] ?? config.alpha;
    const peftScale = alpha / (config.useRslora ? Math.sqrt(rank) : rank);
    const llamaScale = config.alpha / rank;
    return peftScale === llamaScale ? 1 : peftScale / llamaScale;
}

async function checkConpetNote(notePath: string, base: BaseModelInfo): Promise<void> {
    if (!await isFile(notePath))
        return;
    const note = await readJson(notePath) as Partial<ConpetNote>;
    const fingerprint = note.baseModel?.fingerprint;
    if (typeof fingerprint === "string" && fingerprint !== base.fingerprint)
        throw new ConpetError(
            "ADAPTER_MISMATCH",
            `${path.dirname(notePath)} was exported from a module trained on another base model (${note.baseModel?.name ?? fingerprint}, ${fingerprint}); the current base model ${base.modelPath} is ${base.fingerprint}. Select that model before importing.`,
            {data: {adapter: fingerprint, base: base.fingerprint}}
        );
}

async function readJson(filePath: string): Promise<unknown> {
    try {
        return JSON.parse(await readFile(filePath, "utf8")) as unknown;
    } catch (err) {
        throw new ConpetError("ADAPTER_INVALID", `${filePath} is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`, {data: {filePath}});
    }
}

async function isFile(filePath: string): Promise<boolean> {
    return (await stat(filePath).catch(() => undefined))?.isFile() === true;
}
