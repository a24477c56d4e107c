import {copyFile, mkdir, writeFile} from "node:fs/promises";
import path from "node:path";
import type {CoreStore} from "../dependencyTypes";
import {ConpetError} from "../../vocabulary/errors";
import {exportPeftAdapter} from "../adapters/exportPeftAdapter";
import {readBaseModelInfo} from "../adapters/readBaseModelInfo";
import type {BaseModelInfo} from "../adapters/types";
import {sanitizeFileName} from "../../vocabulary/sanitizeFileName";
import {formatCompletion, formatPrompt} from "../formatPrompt";
import type {ModuleRecord, Sample, SampleSplit, Task} from "../../vocabulary/types";

export type ExportTasksOptions = {
    /** The folder to write into; created if missing. Files of the same names are overwritten. */
    outDir: string;
    /** Export only this task (by name). Defaults to every task, plus the shared module. */
    task?: string;
    /**
     * The current base model (`.gguf`). With it, each task's adapter trained on it is also written
     * in PEFT format (`adapters/<task>.peft/`), which the conversion needs the base's shapes for.
     * Defaults to none: no PEFT copies.
     */
    modelPath?: string;
    /** Aborts between files. Defaults to none. */
    signal?: AbortSignal;
};

export type ExportedTask = {
    name: string;
    /** The task's folder inside `outDir` (its sanitised name). */
    folder: string;
    train: number;
    test: number;
    /** The copied adapter, relative to `outDir`, if the task has a trained module whose file is intact. */
    adapter: string | null;
    /** The base model the adapter was trained on (`ModuleRecord.baseModelFingerprint`); null without an adapter. */
    adapterBaseModel: string | null;
    /** The PEFT copy (`adapter_config.json`, `adapter_model.safetensors`, `conpet.json`) of the module trained on `modelPath`, relative to `outDir`; null without one. */
    peftAdapter: string | null;
};

export type ExportResult = {
    directory: string;
    tasks: ExportedTask[];
    /** Every file written, relative to `outDir`. */
    files: string[];
    /** What was left out and why (an adapter whose file is missing or damaged). */
    warnings: string[];
};

/**
 * A line with the text exactly as ConPET's modules are trained and scored on it (`formatPrompt` and
 * `formatCompletion`), for continuing a module's training elsewhere (TRL's prompt-completion
 * format; LLaMA-Factory with `template: empty`).
 */
export type PromptExample = {prompt: string; completion: string};

/** A line of the chat format fine-tuning tools read (OpenAI, Axolotl, TRL, …). */
export type ChatExample = {messages: [{role: "system"; content: string}, {role: "user"; content: string}, {role: "assistant"; content: string}]};

const adaptersFolder = "adapters";
const suiteFile = "suite.json";
const splits: readonly SampleSplit[] = ["train", "test"];

/**
 * Writes the tasks of the store as a suite folder that `importExamples` reads back
 * (`suite.json`, `<task>/task.json`, `<task>/train.jsonl`, `<task>/test.jsonl`), the same samples in
 * the chat format (`<task>/train.chat.jsonl`, `<task>/test.chat.jsonl`) and as the prompt and
 * completion the modules learn (`<task>/train.prompt.jsonl`, `<task>/test.prompt.jsonl`), each trained adapter as
 * `adapters/<task>.gguf` (the newest module of a task trained on several base models), and, given the
 * base model, the module trained on it as a PEFT adapter folder `adapters/<task>.peft/`. Task names
 * become folder and file names only through `sanitizeFileName`. A module whose file is missing or
 * damaged is left out with a warning: the samples, which can train it again, are what matter.
 */
export async function exportTasks(store: CoreStore, {outDir, task: only, modelPath, signal}: ExportTasksOptions): Promise<ExportResult> {
    const directory = path.resolve(outDir);
    const tasks = only === undefined ? await store.listTasks() : [await store.getTask(only)];
    const modules = await store.listModules();
    const files: string[] = [];
    const warnings: string[] = [];
    const write = async (relative: string, content: string) => {
        signal?.throwIfAborted();
        await mkdir(path.dirname(path.join(directory, relative)), {recursive: true});
        await writeFile(path.join(directory, relative), content);
        files.push(relative);
    };
    const copy = async (from: string, relative: string) => {
        signal?.throwIfAborted();
        await mkdir(path.join(directory, adaptersFolder), {recursive: true});
        await copyFile(from, path.join(directory, relative));
        files.push(relative);
        return relative;
    };
    const writePeft = async (module: ModuleRecord, base: BaseModelInfo, task: string, relative: string): Promise<string | null> => {
        signal?.throwIfAborted();
        try {
            const written = await exportPeftAdapter({adapterPath: store.resolveModulePath(module), outDir: path.join(directory, relative), base, task});
            files.push(...written.map((file) => `${relative}/${file}`));
            return relative;
        } catch (err) {
            if (!ConpetError.is(err))
                throw err;
            warnings.push(`The PEFT copy of task ${JSON.stringify(task)} was left out: ${err.message}`);
            return null;
        }
    };

    const base = modelPath === undefined ? undefined : await readBaseModelInfo(modelPath).catch((err: unknown) => {
        warnings.push(`No adapter was converted to PEFT: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
    });

    // Folder names must be unique, and must not take the name of the adapters folder or the suite file
    // (a task named "suite.json" would make it a folder).
    const usedNames = new Set<string>([adaptersFolder, suiteFile]);
    const exported: ExportedTask[] = [];
    const onOtherBase: string[] = [];
    for (const task of tasks) {
        const folder = pickUniqueName(sanitizeFileName(task.name, {fallback: "task"}), usedNames);
        const samples = await store.listSamples(task.id);
        await write(`${folder}/task.json`, `${JSON.stringify({name: task.name, description: task.instruction, kind: task.kind, labels: task.labels}, null, 2)}\n`);
        for (const split of splits) {
            const ofSplit = samples.filter((sample) => sample.split === split);
            await write(`${folder}/${split}.jsonl`, toJsonLines(ofSplit.map(({input, output}) => ({input, output}))));
            await write(`${folder}/${split}.chat.jsonl`, toJsonLines(ofSplit.map((sample) => toChatExample(task, sample))));
            await write(`${folder}/${split}.prompt.jsonl`, toJsonLines(ofSplit.map((sample) => toPromptExample(task, sample))));
        }
        const module = await getIntactModule(store, modules.filter((candidate) => candidate.taskId === task.id && candidate.kind === "task-lora").at(-1), `task ${JSON.stringify(task.name)}`, warnings);
        const adapter = isGguf(module) ? await copy(store.resolveModulePath(module), `${adaptersFolder}/${folder}.gguf`) : null;
        let peftAdapter: string | null = null;
        if (base !== undefined) {
            const onBase = modules.find((candidate) => candidate.taskId === task.id && candidate.kind === "task-lora" && candidate.baseModelFingerprint === base.fingerprint);
            if (onBase === undefined && module !== undefined)
                onOtherBase.push(task.name);
            // The newest module was checked (and warned about) above.
            const intact = onBase === undefined || onBase.id === module?.id ? module : await getIntactModule(store, onBase, `task ${JSON.stringify(task.name)}`, warnings);
            if (onBase !== undefined && isGguf(intact))
                peftAdapter = await writePeft(intact, base, task.name, `${adaptersFolder}/${folder}.peft`);
        }
        exported.push({
            name: task.name, folder, adapter, adapterBaseModel: adapter === null ? null : module!.baseModelFingerprint, peftAdapter,
            train: samples.filter((sample) => sample.split === "train").length,
            test: samples.filter((sample) => sample.split === "test").length
        });
    }
    const shared = only === undefined ? await getIntactModule(store, modules.filter((module) => module.kind === "shared-lora").at(-1), "the shared LoRA", warnings) : undefined;
    if (isGguf(shared))
        await copy(store.resolveModulePath(shared), `${adaptersFolder}/${pickUniqueName("shared-lora", new Set(exported.map((task) => task.folder.toLowerCase())))}.gguf`);

    if (onOtherBase.length > 0)
        warnings.push(`The adapters of ${onOtherBase.map((name) => JSON.stringify(name)).join(", ")} were trained on another base model than ${base!.modelPath} and have no PEFT copy: select that model and export again to convert them.`);

    await write(suiteFile, `${JSON.stringify({
        name: "conpet-export",
        description: `Tasks exported from the ConPET store ${store.directory}`,
        source: "ConPET",
        tasks: exported.map((task) => task.folder)
    }, null, 2)}\n`);
    return {directory, tasks: exported, files, warnings};
}

async function getIntactModule(store: CoreStore, module: ModuleRecord | undefined, what: string, warnings: string[]): Promise<ModuleRecord | undefined> {
    if (module === undefined)
        return undefined;
    const state = await store.checkModuleFile(module);
    if (state === "present")
        return module;
    warnings.push(`The adapter of ${what} was left out: its file is ${state} (${store.resolveModulePath(module)}). Train it again to export it.`);
    return undefined;
}

/** The system message carries the instruction (and a classify task's labels), as the model saw them. */
export function toChatExample(task: Pick<Task, "instruction" | "kind" | "labels">, sample: Pick<Sample, "input" | "output">): ChatExample {
    const system = task.kind === "classify" ? `${task.instruction}\nAnswer with one of: ${task.labels.join(", ")}.` : task.instruction;
    return {messages: [{role: "system", content: system}, {role: "user", content: sample.input}, {role: "assistant", content: sample.output}]};
}

function toPromptExample(task: Pick<Task, "instruction">, sample: Pick<Sample, "input" | "output">): PromptExample {
    return {prompt: formatPrompt({instruction: task.instruction, input: sample.input}), completion: formatCompletion(sample.output)};
}

function toJsonLines(values: readonly unknown[]): string {
    return values.map((value) => `${JSON.stringify(value)}\n`).join("");
}

function pickUniqueName(base: string, used: Set<string>): string {
    let name = base;
    for (let suffix = 2; used.has(name.toLowerCase()); suffix++)
        name = `${base}-${suffix}`;
    used.add(name.toLowerCase());
    return name;
}

function isGguf(module: ModuleRecord | undefined): module is ModuleRecord {
    return module !== undefined && module.file.toLowerCase().endsWith(".gguf");
}
