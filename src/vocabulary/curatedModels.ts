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
    /**
     * Weight type. The CPU trainer trains over these quantized weights at about its F32 speed (it keeps F32 copies
     * for the backward pass while memory allows, about 4 bytes per parameter, up to twice that); a GPU trains LoRA
     * over F32 weights only, so `gpuLayers: auto` trains these on the CPU (see native/README.md).
     */
    fileType: string;
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
        fileType: "Q8_0"
    },
    {
        id: "qwen2.5-coder-0.5b",
        label: "Qwen2.5 Coder 0.5B Instruct (Q8_0)",
        description: "Small coder model: code classification and short code rewrites.",
        uri: "hf:Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/qwen2.5-coder-0.5b-instruct-q8_0.gguf",
        fileName: "qwen2.5-coder-0.5b-instruct-q8_0.gguf",
        approximateSizeBytes: 676_000_000,
        architecture: "qwen2",
        fileType: "Q8_0"
    },
    {
        id: "qwen2.5-0.5b",
        label: "Qwen2.5 0.5B Instruct (Q4_K_M)",
        description: "Small general instruct model.",
        uri: "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf",
        fileName: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
        approximateSizeBytes: 398_000_000,
        architecture: "qwen2",
        fileType: "Q4_K_M"
    },
    {
        id: "qwen2.5-coder-1.5b",
        label: "Qwen2.5 Coder 1.5B Instruct (Q4_K_M)",
        description: "Better code generation; LoRA training on a CPU takes about three times as long as the 0.5B models.",
        uri: "hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        fileName: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        approximateSizeBytes: 986_000_000,
        architecture: "qwen2",
        fileType: "Q4_K_M"
    }
];

/** The curated entry with this id or URI, if any. */
export function findCuratedModel(idOrUri: string): CuratedModel | undefined {
    return curatedModels.find((model) => model.id === idOrUri || model.uri === idOrUri);
}
