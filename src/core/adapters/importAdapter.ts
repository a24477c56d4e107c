import {copyFile, rm, stat} from "node:fs/promises";
import path from "node:path";
import type {CoreStore} from "../dependencyTypes";
import {CancelledError} from "../../vocabulary/errors";
import {hasGgufMagic} from "../../vocabulary/gguf";
import type {ModuleRecord} from "../../vocabulary/types";
import {getLoraTargetName} from "./getLoraTargetName";
import {writeGgufAdapter} from "./gguf/writeGgufAdapter";
import {readBaseModelInfo} from "./readBaseModelInfo";
import {readGgufAdapter} from "./readGgufAdapter";
import {readPeftAdapter} from "./readPeftAdapter";
import type {LoraAdapter} from "./types";

export type ImportAdapterOptions = {
    /** The task (name or id) whose module the adapter becomes; it must exist. */
    task: string | number;
    /** A llama.cpp LoRA adapter (`.gguf`), or a PEFT adapter: its folder, `adapter_config.json` or `adapter_model.safetensors`. */
    adapterPath: string;
    /** The base model (`.gguf`) the adapter is checked against and registered for. */
    modelPath: string;
    /** Aborts before the module is registered. Defaults to none. */
    signal?: AbortSignal;
};

export type ImportAdapterResult = {
    task: string;
    format: "gguf" | "peft";
    module: ModuleRecord;
    /** The task already had a module for this base model, which the import replaced. */
    replaced: boolean;
    /** `base_model_name_or_path` of a PEFT adapter's config, for the user to compare. */
    peftBaseModelName: string | null;
};

/**
 * Makes a LoRA adapter trained elsewhere the task's module for the base model. A GGUF adapter is
 * checked and copied as it is; a PEFT adapter is checked and converted to GGUF. The module records
 * the task's current samples hash, so it is `ready` until the task's samples change (training then
 * replaces it). Holds the store's training lease (`TRAINING_BUSY` while a training runs), since a
 * training registers modules too. Throws `TASK_NOT_FOUND`, `MODEL_*`, `ADAPTER_INVALID`,
 * `ADAPTER_MISMATCH`, `CANCELLED`.
 */
export async function importAdapter(store: CoreStore, {task: taskRef, adapterPath, modelPath, signal}: ImportAdapterOptions): Promise<ImportAdapterResult> {
    const task = await store.getTask(taskRef);
    const base = await readBaseModelInfo(modelPath);
    const source = path.resolve(adapterPath);
    // By content; a `.gguf` name that is not GGUF is reported as a bad GGUF, not as a missing PEFT config.
    const format = source.toLowerCase().endsWith(".gguf") || await hasGgufMagic(source).catch(() => false) ? "gguf" : "peft";
    const peft = format === "peft" ? await readPeftAdapter(source, base) : undefined;
    const adapter: LoraAdapter = peft ?? await readGgufAdapter(source, base);

    const lease = await store.acquireTrainingLease({label: `importing an adapter into "${task.name}"`});
    const workFile = await store.createWorkFilePath(`import-task-${task.id}`, "gguf");
    try {
        if (peft === undefined)
            await copyFile(source, workFile);
        else
            await writeGgufAdapter(workFile, {
                architecture: adapter.architecture,
                alpha: adapter.alpha,
                tensors: adapter.pairs.flatMap((pair) => [
                    {name: `${pair.target}.lora_a`, dimensions: [pair.nIn, pair.rank], data: pair.a},
                    {name: `${pair.target}.lora_b`, dimensions: [pair.rank, pair.nOut], data: pair.b}
                ])
            });
        if (signal?.aborted === true)
            throw new CancelledError("The adapter import was cancelled; the task's module is unchanged.");
        const replaced = await store.getModule(task.id, "task-lora", base.fingerprint) != null;
        const rank = Math.max(...adapter.pairs.map((pair) => pair.rank));
        const module = await store.registerModule({
            sourceFile: workFile,
            taskId: task.id,
            kind: "task-lora",
            baseModelFingerprint: base.fingerprint,
            rank,
            // llama.cpp reads a missing alpha as a scale of 1, which is alpha = rank.
            alpha: adapter.alpha > 0 ? adapter.alpha : rank,
            targetModules: [...new Set(adapter.pairs.map((pair) => getLoraTargetName(pair.target)))],
            trainableParameters: adapter.pairs.reduce((sum, pair) => sum + pair.a.length + pair.b.length, 0),
            metrics: {},
            samplesHash: await store.getSamplesHash(task.id),
            trainedAt: new Date((await stat(source)).mtimeMs).toISOString()
        });
        return {task: task.name, format, module, replaced, peftBaseModelName: peft?.baseModelName ?? null};
    } finally {
        // Registering moved the file; after a failure it is still there.
        await rm(workFile, {force: true});
        await store.releaseTrainingLease(lease.token);
    }
}
