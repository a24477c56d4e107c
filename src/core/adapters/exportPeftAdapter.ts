import {mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import {ConpetError} from "../../vocabulary/errors";
import {conpetNoteFile, peftConfigFile, peftWeightsFile, type ConpetNote} from "./peftFiles";
import {formatPeftTensorName, getPeftModule, sortPeftModuleNames} from "./peftTensorNames";
import {reorderRotaryRowsOfB} from "./permuteRotaryRows";
import {readGgufAdapter} from "./readGgufAdapter";
import type {SafetensorsTensor} from "./safetensors/readSafetensors";
import {writeSafetensors} from "./safetensors/writeSafetensors";
import type {BaseModelInfo} from "./types";

export type ExportPeftAdapterOptions = {
    /** The module's GGUF adapter file. */
    adapterPath: string;
    /** The folder to write `adapter_config.json`, `adapter_model.safetensors` and `conpet.json` into; created if missing. */
    outDir: string;
    /** The base model the adapter was trained on: its architecture and head counts shape the conversion. */
    base: BaseModelInfo;
    /** The task's name, recorded in `conpet.json`. */
    task: string;
};

/**
 * Writes a GGUF LoRA adapter as a PEFT adapter (what `save_pretrained` writes), the inverse of
 * `readPeftAdapter`: names mapped back, q/k rows of B put back in the Hugging Face order, the
 * scale kept (`lora_alpha` = `adapter.lora.alpha`; ranks that differ between modules go into
 * `rank_pattern`). Beside it, `conpet.json` names the base model, which an import checks.
 * Throws `ADAPTER_INVALID` for an adapter with tensors PEFT has no name for.
 */
export async function exportPeftAdapter({adapterPath, outDir, base, task}: ExportPeftAdapterOptions): Promise<string[]> {
    const adapter = await readGgufAdapter(adapterPath, base);
    const ranks = adapter.pairs.map((pair) => pair.rank);
    const r = getMostCommon(ranks);
    const tensors = new Map<string, SafetensorsTensor>();
    const rankPattern: Record<string, number> = {};
    const alphaPattern: Record<string, number> = {};
    const moduleNames: string[] = [];
    for (const pair of [...adapter.pairs].sort((a, b) => compareTargets(a.target, b.target))) {
        const peft = getPeftModule(pair.target);
        if (peft === undefined)
            throw new ConpetError("ADAPTER_INVALID", `${adapterPath} adapts ${pair.target}, which has no PEFT module name in the llama-family mapping.`, {data: {adapterPath, target: pair.target}});
        moduleNames.push(peft.name);
        if (pair.rank !== r) {
            rankPattern[peft.module] = pair.rank;
            // Without adapter.lora.alpha llama.cpp scales by 1: alpha = rank, module by module.
            if (adapter.alpha === 0)
                alphaPattern[peft.module] = pair.rank;
        }
        tensors.set(formatPeftTensorName(peft.module, "A"), {shape: [pair.rank, pair.nIn], data: pair.a});
        tensors.set(formatPeftTensorName(peft.module, "B"), {shape: [pair.nOut, pair.rank], data: reorderRotaryRowsOfB(pair, base, "toHf")});
    }

    const config = {
        peft_type: "LORA",
        task_type: "CAUSAL_LM",
        base_model_name_or_path: base.name ?? path.basename(base.modelPath),
        r,
        lora_alpha: adapter.alpha > 0 ? adapter.alpha : r,
        target_modules: sortPeftModuleNames(moduleNames),
        rank_pattern: rankPattern,
        alpha_pattern: alphaPattern,
        lora_dropout: 0,
        bias: "none",
        fan_in_fan_out: false,
        use_rslora: false,
        use_dora: false,
        modules_to_save: null,
        inference_mode: true
    };
    const note: ConpetNote = {format: "conpet-peft-v1", task, baseModel: {fingerprint: base.fingerprint, architecture: base.architecture, name: base.name}};
    await mkdir(outDir, {recursive: true});
    await writeSafetensors(path.join(outDir, peftWeightsFile), tensors);
    await writeFile(path.join(outDir, peftConfigFile), `${JSON.stringify(config, null, 2)}\n`);
    await writeFile(path.join(outDir, conpetNoteFile), `${JSON.stringify(note, null, 2)}\n`);
    return [peftConfigFile, peftWeightsFile, conpetNoteFile];
}

/** Blocks in numeric order, so the safetensors file reads layer by layer. */
function compareTargets(a: string, b: string): number {
    const block = (name: string) => Number(/^blk\.(\d+)\./.exec(name)?.[1] ?? Infinity);
    return block(a) - block(b) || a.localeCompare(b);
}

function getMostCommon(values: readonly number[]): number {
    const counts = new Map<number, number>();
    for (const value of values)
        counts.set(value, (counts.get(value) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
}
