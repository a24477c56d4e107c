/**
 * The short list of models offered by "ConPET: Select Model…" for download: small instruct and
 * coder models that run on a laptop CPU and train a LoRA in minutes. Plain data, so the extension
 * host can show it without loading node-llama-cpp. URIs use node-llama-cpp's `hf:<user>/<repo>/<file>`
 * form (see `createModelDownloader`), pinned to one file so the download is exactly this quant.
 */
export type CuratedModel = {
    /** Stable id that the engine's `download` also accepts in place of the URI, e.g. `qwen2.5-coder-0.5b`. */
    id: string;
    /** Shown in the quick pick. */
    label: string;
    description: string;
    uri: string;
    /** The file name the download produces. */
    fileName: string;
    /** Approximate download size in bytes, for the quick pick and the progress bar before the server answers. */
    approximateSizeBytes: number;
    architecture: string;
    /** Weight type (every entry is quantized: the trainer trains over it as fast as over F32, see `training`). */
    fileType: string;
    /**
     * What LoRA training on it costs, shown in the quick pick: measured with `conpet bench-train` on a random-weight
     * model of the same shape and type (seq-len 256, batch 2, rank 8 on q,k,v,o, one thread of a Zen 4 core with
     * AVX512-BF16; README "LoRA training throughput"), and the F32 copy a GPU trains over (4 bytes per parameter).
     */
    training: string;
};

export const curatedModels: readonly CuratedModel[] = [
    {
        id: "smollm2-135m",
        label: "SmolLM2 135M Instruct (Q8_0)",
        description: "Tiniest: fast LoRA training on any CPU; simple classification tasks.",
        uri: "hf:bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf",
        fileName: "SmolLM2-135M-Instruct-Q8_0.gguf",
        approximateSizeBytes: 145_000_000,
        architecture: "llama",
        fileType: "Q8_0",
        training: "LoRA training: ~380 tokens/s on one Zen 4 core, 1.5 GB of memory; on a GPU over a 0.54 GB F32 copy."
    },
    {
        id: "qwen2.5-coder-0.5b",
        label: "Qwen2.5 Coder 0.5B Instruct (Q8_0)",
        description: "Small coder model: code classification and short code rewrites.",
        uri: "hf:Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/qwen2.5-coder-0.5b-instruct-q8_0.gguf",
        fileName: "qwen2.5-coder-0.5b-instruct-q8_0.gguf",
        approximateSizeBytes: 676_000_000,
        architecture: "qwen2",
        fileType: "Q8_0",
        training: "LoRA training: ~130 tokens/s on one Zen 4 core, 4 GB of memory; on a GPU over a 2 GB F32 copy."
    },
    {
        id: "qwen2.5-0.5b",
        label: "Qwen2.5 0.5B Instruct (Q4_K_M)",
        description: "Small general instruct model.",
        uri: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
        fileName: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
        approximateSizeBytes: 398_000_000,
        architecture: "qwen2",
        fileType: "Q4_K_M",
        training: "LoRA training: ~130 tokens/s on one Zen 4 core, 4 GB of memory; on a GPU over a 2 GB F32 copy."
    },
    {
        id: "qwen2.5-coder-1.5b",
        label: "Qwen2.5 Coder 1.5B Instruct (Q4_K_M)",
        description: "Better code generation.",
        uri: "hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        fileName: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        approximateSizeBytes: 986_000_000,
        architecture: "qwen2",
        fileType: "Q4_K_M",
        training: "LoRA training: ~44 tokens/s on one Zen 4 core, 9.3 GB of memory; on a GPU over a 6.2 GB F32 copy."
    }
];

/** The curated entry with this id or URI, if any. */
export function findCuratedModel(idOrUri: string): CuratedModel | undefined {
    return curatedModels.find((model) => model.id === idOrUri || model.uri === idOrUri);
}
