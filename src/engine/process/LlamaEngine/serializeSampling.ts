import type {LlamaContext} from "node-llama-cpp";

type NativeContext = {sampleToken(...args: unknown[]): Promise<unknown>};

/**
 * Makes a context read its outputs one at a time. When one decode serves several sequences, llama.cpp
 * groups the batch's tokens by sequence and puts the output rows back in batch order lazily, on the
 * first read of the logits (`output_reorder`, not thread-safe). node-llama-cpp reads each sequence's
 * outputs on its own worker thread, so two concurrent first reads can swap rows twice or half-way and
 * hand one sequence another's logits: label scores then change with the batch an item lands in
 * (measured: 15 of 330 items scored off by up to 1.0 nat). One read at a time keeps the batching.
 *
 * This wraps node-llama-cpp's internal native context (`LlamaContext._ctx`, checked at runtime); if a
 * later node-llama-cpp renames it, the engine test that scores items alone and in mixed batches fails.
 */
export function serializeSampling(context: LlamaContext): void {
    const native = (context as unknown as {_ctx?: Partial<NativeContext>})._ctx;
    const sampleToken = native?.sampleToken;
    if (native === undefined || typeof sampleToken !== "function")
        return;
    let previous: Promise<unknown> = Promise.resolve();
    // An own property: the addon's method is read-only on its prototype, so plain assignment throws.
    Object.defineProperty(native, "sampleToken", {
        configurable: true,
        value: (...args: unknown[]) => {
            const result = previous.then(() => sampleToken.apply(native, args));
            previous = result.catch(() => undefined);
            return result;
        }
    });
}
