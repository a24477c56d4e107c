/** `embedding`: a calibrated classifier over the input's n-grams and the base model's pooled states. `lora`: the paper's LoRA-tuned selector scoring task names. */
export type SelectorKind = "embedding" | "lora";

/** One routing choice: a task and the selector's probability for it. */
export type SelectorRoute = {taskId: number; probability: number};

/** Routes inputs to task modules; `route` returns the top-k tasks per input, most probable first. */
export type TaskSelector = {
    readonly kind: SelectorKind;
    readonly taskIds: readonly number[];
    route(inputs: readonly string[], options: {topK: number; signal?: AbortSignal}): Promise<SelectorRoute[][]>;
};

/** A sparse feature vector: ascending indices and their values. */
export type SparseVector = {indices: number[]; values: number[]};
