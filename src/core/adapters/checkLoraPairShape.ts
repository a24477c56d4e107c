import {ConpetError} from "../../vocabulary/errors";
import type {BaseModelInfo, LoraPair} from "./types";

/**
 * The checks llama.cpp makes when it loads an adapter (`llama_adapter_lora_init`), made first so a
 * mismatch is a clear `ADAPTER_MISMATCH` instead of a failed load later: the adapted tensor exists
 * in the base model, A is `[n_in, r]` and B `[r, n_out]` for the base's `[n_in, n_out]`.
 */
export function checkLoraPairShape(pair: Pick<LoraPair, "target" | "rank" | "nIn" | "nOut">, base: BaseModelInfo, source: string): void {
    const baseShape = base.tensorShapes.get(pair.target);
    if (baseShape === undefined)
        throw new ConpetError("ADAPTER_MISMATCH", `${source} adapts ${pair.target}, which the base model ${base.modelPath} does not have${describeBlocks(base)}. The adapter was trained on another model.`, {data: {source, target: pair.target}});
    const [nIn, nOut] = baseShape;
    if (baseShape.length !== 2 || nIn !== pair.nIn || nOut !== pair.nOut)
        throw new ConpetError(
            "ADAPTER_MISMATCH",
            `${source} adapts ${pair.target} as ${pair.nIn} → ${pair.nOut} features, but in the base model ${base.modelPath} it is ${nIn} → ${nOut}. The adapter was trained on another model.`,
            {data: {source, target: pair.target, adapter: [pair.nIn, pair.nOut], base: baseShape}}
        );
    if (!Number.isInteger(pair.rank) || pair.rank < 1)
        throw new ConpetError("ADAPTER_INVALID", `${source}: the LoRA pair of ${pair.target} has rank ${pair.rank}.`, {data: {source, target: pair.target}});
}

function describeBlocks(base: BaseModelInfo): string {
    const blocks = new Set([...base.tensorShapes.keys()].map((name) => /^blk\.(\d+)\./.exec(name)?.[1]).filter((block) => block !== undefined));
    return blocks.size === 0 ? "" : ` (it has ${blocks.size} blocks)`;
}
