/**
 * llama.cpp binds LoRA adapters when a context is created, so each distinct adapter set gets its
 * own context (with one reused sequence). Creating a context costs a KV-cache allocation and, the
 * first time, loading the adapter file; the pool keeps the most recently used few and disposes the
 * least recently used when full.
 */
import {stat} from "node:fs/promises";
import path from "node:path";
import type {LlamaContext, LlamaContextSequence, LlamaModel} from "node-llama-cpp";
import {ConpetError, InvalidInputError} from "../../../vocabulary/errors";
import type {AdapterRef} from "../../../vocabulary/engineProtocol";
import {serializeSampling} from "./serializeSampling";

/** Contexts kept alive at once (base model included). */
export const defaultContextPoolCapacity = 4;
/**
 * Sequences per context: label scoring runs this many items side by side, and node-llama-cpp puts
 * their tokens into one batch (one llama.cpp decode instead of several). Each sequence has its
 * own `contextSize` KV cells.
 */
export const defaultSequencesPerContext = 4;

export type ContextPoolOptions = {
    contextSize: number;
    /** CPU threads of each context (resolved, > 0). */
    threads: number;
    /** Defaults to `defaultContextPoolCapacity`. */
    capacity?: number;
    /** Defaults to `defaultSequencesPerContext`. */
    sequences?: number;
};

export type PooledContext = {context: LlamaContext; sequences: LlamaContextSequence[]};

export class ContextPool {
    private readonly entries = new Map<string, PooledContext>();
    /** Adapter path → identity of the file node-llama-cpp loaded from it. */
    private readonly loadedIdentities = new Map<string, string>();
    private readonly capacity: number;
    private readonly sequencesPerContext: number;

    public constructor(private readonly model: LlamaModel, private readonly options: ContextPoolOptions) {
        this.capacity = Math.max(1, options.capacity ?? defaultContextPoolCapacity);
        this.sequencesPerContext = Math.max(1, options.sequences ?? defaultSequencesPerContext);
    }

    /** The context for this adapter set (none: the base model) and its sequences. Callers serialise their use of it. */
    public async acquire(adapters: readonly AdapterRef[] = []): Promise<PooledContext> {
        const resolved = normalizeAdapters(adapters);
        // The key holds each file's identity (size, mtime), so an adapter rewritten in place (a task
        // retrained to the same path) gets a fresh context instead of the old weights.
        const identified = await Promise.all(resolved.map(async (adapter) => {
            const stats = await stat(adapter.filePath).catch(() => null);
            if (stats === null || !stats.isFile())
                throw new InvalidInputError(`LoRA adapter file not found: ${adapter.filePath}. Train the task again.`, {adapterPath: adapter.filePath});
            return {...adapter, identity: `${stats.size}:${stats.mtimeMs}:${stats.ino}`};
        }));
        const key = JSON.stringify(identified);
        const hit = this.entries.get(key);
        if (hit !== undefined) {
            // Re-insert to mark it most recently used (Map keeps insertion order).
            this.entries.delete(key);
            this.entries.set(key, hit);
            return hit;
        }

        for (const adapter of identified) {
            const loaded = this.loadedIdentities.get(adapter.filePath);
            if (loaded !== undefined && loaded !== adapter.identity)
                await this.forgetAdapterFile(adapter.filePath);
            this.loadedIdentities.set(adapter.filePath, adapter.identity);
        }
        while (this.entries.size >= this.capacity)
            await this.evictOldest();

        let context: LlamaContext;
        try {
            context = await this.model.createContext({
                contextSize: this.options.contextSize,
                sequences: this.sequencesPerContext,
                threads: this.options.threads,
                ...(resolved.length > 0 ? {lora: {adapters: resolved.map(({filePath, scale}) => ({filePath, scale}))}} : {})
            });
        } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            if (resolved.length > 0)
                throw new InvalidInputError(`Could not apply the LoRA adapter(s) ${resolved.map((adapter) => adapter.filePath).join(", ")}: ${message}. Was the adapter trained on this base model?`, {adapters: resolved});
            throw new ConpetError(/memory/i.test(message) ? "OUT_OF_MEMORY" : "INTERNAL", `Could not create a llama.cpp context: ${message}`, {cause: err});
        }
        serializeSampling(context);
        const entry = {context, sequences: Array.from({length: this.sequencesPerContext}, () => context.getSequence())};
        this.entries.set(key, entry);
        return entry;
    }

    public async dispose(): Promise<void> {
        const contexts = [...this.entries.values()];
        this.entries.clear();
        await Promise.all(contexts.map(({context}) => context.dispose()));
    }

    /**
     * An adapter file changed on disk: drop the contexts built on its old content, and node-llama-cpp's
     * per-model cache of loaded adapters (keyed by path only, internal `_loraAdapters`), or the
     * next context would silently get the old weights again.
     */
    private async forgetAdapterFile(filePath: string): Promise<void> {
        for (const [key, entry] of [...this.entries]) {
            if ((JSON.parse(key) as {filePath: string}[]).some((adapter) => adapter.filePath === filePath)) {
                this.entries.delete(key);
                await entry.context.dispose();
            }
        }
        const cache = (this.model as unknown as {_loraAdapters?: unknown})._loraAdapters;
        if (cache instanceof Map)
            cache.delete(filePath);
    }

    private async evictOldest(): Promise<void> {
        const oldest = this.entries.keys().next();
        if (oldest.done === true)
            return;
        const entry = this.entries.get(oldest.value)!;
        this.entries.delete(oldest.value);
        await entry.context.dispose();
    }
}

/** One key per adapter set whatever the order or path spelling; a scale of 0 drops the adapter. */
function normalizeAdapters(adapters: readonly AdapterRef[]): {filePath: string; scale: number}[] {
    return adapters
        .map(({filePath, scale}) => ({filePath: path.resolve(filePath), scale: scale ?? 1}))
        .filter(({scale}) => scale !== 0)
        .sort((a, b) => a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : a.scale - b.scale);
}
