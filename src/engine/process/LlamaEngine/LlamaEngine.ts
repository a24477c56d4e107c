/**
 * The model side of the engine process: owns the `Llama` instance, the loaded model, its pooled
 * contexts and the embedding context. Every public method validates its state and throws a
 * `ConpetError`; model work is serialised through one queue.
 */
import {InsufficientMemoryError, LlamaLogLevel, type Llama, type LlamaEmbeddingContext, type LlamaModel} from "node-llama-cpp";
import {ConpetError, DisposedError} from "../../../vocabulary/errors";
import type {GpuBackendSelection} from "../../../vocabulary/gpuBackend";
import {validateModelFile, type ValidatedModelFile} from "../validateModelFile";
import {defaultEngineContextSize, type Backend, type EngineMethods, type GenerateParams, type LoadParams, type ModelInfo, type ScoreParams, type ScoreResult} from "../../../vocabulary/engineProtocol";
import {SerialQueue} from "../utils/SerialQueue";
import {ContextPool, defaultSequencesPerContext} from "./ContextPool";
import {defaultMaxTokens, generateText} from "./generateText";
import {scoreCompletions, throwIfAborted} from "./scoreCompletions";
import {embedTexts} from "./embedTexts";
import {tokenizeCompletion, tokenizePrompt} from "./tokenizePrompt";
import {createLlama, type LlamaGpuChoice} from "./createLlama";

/** `GGML pooling type` 1 = mean (llama.h `LLAMA_POOLING_TYPE_MEAN`). */
const meanPoolingType = 1;

/** How far a request's work has come; the client's request timeout restarts with each report. */
export type WorkProgress = {done: number; total: number};

export type LlamaEngineOptions = {
    /** Receives llama.cpp's and the engine's log lines. */
    onLog?: (level: "debug" | "info" | "warn" | "error", message: string) => void;
    /** The GPU backend installed on demand, used unless a load asks for `gpuLayers: 0`. Defaults to none: node-llama-cpp's own choice. */
    gpuBackend?: GpuBackendSelection;
};

type LoadedModel = {
    model: LlamaModel;
    file: ValidatedModelFile;
    params: Required<LoadParams>;
    pool: ContextPool;
    embeddingContext?: LlamaEmbeddingContext;
    info: ModelInfo;
    vramBeforeLoad: number;
};

export class LlamaEngine {
    private readonly queue = new SerialQueue();
    private llama?: {instance: Llama; gpu: LlamaGpuChoice; gpuBackendProblem?: string};
    private loaded?: LoadedModel;
    private disposed = false;

    public constructor(private readonly options: LlamaEngineOptions = {}) {}

    public load(params: LoadParams, signal?: AbortSignal, onProgress?: (progress: {done: number; total: number; message?: string}) => void): Promise<ModelInfo> {
        return this.queue.run(async () => {
            this.ensureNotDisposed();
            const file = await validateModelFile(params.modelPath).catch((err: unknown) => {
                // Nothing was touched yet: tell the client the previous model is still loaded.
                throw ConpetError.is(err) ? new ConpetError(err.code, err.message, {data: {...err.data, previousModelKept: this.loaded !== undefined}, cause: err}) : err;
            });
            await this.unloadNow();
            throwIfAborted(signal);

            // gpuLayers 0 means "CPU only": don't initialise a GPU backend (and its memory) at all.
            const llama = await this.getLlamaInstance(params.gpuLayers === 0 ? false : this.options.gpuBackend?.kind ?? "auto");
            const vramBeforeLoad = await getVramUsed(llama);
            let model: LlamaModel;
            try {
                model = await llama.loadModel({
                    modelPath: file.modelPath,
                    gpuLayers: params.gpuLayers,
                    // Mean pooling for the embedding context (the selector's input); generation
                    // contexts don't pool, so this changes nothing else.
                    metadataOverrides: {[file.architecture]: {pooling_type: meanPoolingType}} as never,
                    ...(signal === undefined ? {} : {loadSignal: signal}),
                    onLoadProgress: (progress) => safeCall(() => onProgress?.({done: progress, total: 1, message: "Loading model"}))
                });
            } catch (err) {
                throwIfAborted(signal);
                throw mapLoadError(err, file.modelPath);
            }

            const contextSize = Math.max(16, Math.min(params.contextSize ?? defaultEngineContextSize, model.trainContextSize));
            // node-llama-cpp's own default is at least 4 threads; on a 2-core machine that many is
            // far slower than 2 (busy-waiting threads contend), so "auto" means the math cores.
            const threads = params.threads > 0 ? params.threads : Math.max(1, llama.cpuMathCores);
            const sequences = params.sequences ?? defaultSequencesPerContext;
            const resolvedParams = {...params, contextSize, threads, sequences};
            const pool = new ContextPool(model, {contextSize, threads, sequences});
            try {
                // Create the base context now, so a context that doesn't fit fails the load, not the first request.
                await pool.acquire([]);
            } catch (err) {
                await pool.dispose();
                await model.dispose();
                throw err;
            }
            const info: ModelInfo = {
                modelPath: file.modelPath,
                fingerprint: file.fingerprint,
                architecture: file.architecture,
                fileType: file.fileType,
                parameters: file.parameters,
                layers: model.fileInsights.totalLayers,
                embeddingSize: model.embeddingVectorSize,
                vocabularySize: model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0,
                trainContextSize: model.trainContextSize,
                contextSize,
                backend: toBackend(llama.gpu),
                ...(this.llama?.gpuBackendProblem === undefined ? {} : {gpuBackendProblem: this.llama.gpuBackendProblem}),
                gpuLayers: model.gpuLayers,
                threads,
                vramUsedBytes: 0,
                rssBytes: 0,
                hasChatTemplate: typeof model.fileInfo.metadata.tokenizer?.chat_template === "string"
            };
            this.loaded = {model, file, params: resolvedParams, pool, info, vramBeforeLoad};
            this.log("info", `Loaded ${file.modelPath} (${file.architecture}, ${file.fileType}) on ${info.backend}, ${info.gpuLayers}/${info.layers} layers offloaded`);
            return await this.refreshInfo(this.loaded);
        }, signal);
    }

    public async info(): Promise<ModelInfo | null> {
        return this.loaded === undefined ? null : await this.refreshInfo(this.loaded);
    }

    /** `onProgress` counts generated tokens (of at most `maxTokens`) and carries the final text so far. */
    public generate(params: GenerateParams, signal?: AbortSignal, onProgress?: (progress: WorkProgress & {text: string}) => void): Promise<EngineMethods["generate"]["result"]> {
        return this.queue.run(async () => {
            const loaded = this.requireModel();
            const {sequences} = await loaded.pool.acquire(params.adapters);
            let done = 0;
            return await generateText(sequences[0]!, loaded.model, params, signal, (text) => safeCall(() => onProgress?.({done: ++done, total: params.maxTokens ?? defaultMaxTokens, text})));
        }, signal);
    }

    /** `onProgress` counts scored items. */
    public score(params: ScoreParams, signal?: AbortSignal, onProgress?: (progress: WorkProgress) => void): Promise<ScoreResult> {
        return this.queue.run(async () => {
            const loaded = this.requireModel();
            const {sequences} = await loaded.pool.acquire(params.adapters);
            let done = 0;
            return await scoreCompletions(sequences, loaded.model, params.items, signal, () => safeCall(() => onProgress?.({done: ++done, total: params.items.length})));
        }, signal);
    }

    /** `onProgress` counts embedded texts. */
    public embed(params: EngineMethods["embed"]["params"], signal?: AbortSignal, onProgress?: (progress: WorkProgress) => void): Promise<EngineMethods["embed"]["result"]> {
        return this.queue.run(async () => {
            const loaded = this.requireModel();
            loaded.embeddingContext ??= await loaded.model.createEmbeddingContext({
                contextSize: loaded.params.contextSize,
                // One batch for the whole input: llama.cpp pools per micro-batch, so a split input would keep only the last part's mean.
                batchSize: loaded.params.contextSize,
                threads: loaded.params.threads
            });
            let done = 0;
            return await embedTexts(loaded.embeddingContext, loaded.model, params.texts, loaded.params.contextSize, signal, () => safeCall(() => onProgress?.({done: ++done, total: params.texts.length})));
        }, signal);
    }

    public tokenize(params: EngineMethods["tokenize"]["params"]): EngineMethods["tokenize"]["result"] {
        const {model} = this.requireModel();
        return {tokens: params.addBos ? tokenizePrompt(model, params.text) : tokenizeCompletion(model, params.text)};
    }

    public async dispose(): Promise<void> {
        if (this.disposed)
            return;
        this.disposed = true;
        await this.unloadNow();
        await this.llama?.instance.dispose();
        this.llama = undefined;
    }

    private async refreshInfo(loaded: LoadedModel): Promise<ModelInfo> {
        const vramUsed = this.llama === undefined ? 0 : await getVramUsed(this.llama.instance);
        loaded.info = {
            ...loaded.info,
            vramUsedBytes: loaded.info.backend === "cpu" ? 0 : Math.max(0, vramUsed - loaded.vramBeforeLoad),
            rssBytes: process.memoryUsage().rss
        };
        return loaded.info;
    }

    private async unloadNow(): Promise<void> {
        const loaded = this.loaded;
        this.loaded = undefined;
        if (loaded === undefined)
            return;
        await loaded.embeddingContext?.dispose();
        await loaded.pool.dispose();
        await loaded.model.dispose();
    }

    private async getLlamaInstance(gpu: LlamaGpuChoice): Promise<Llama> {
        if (this.llama !== undefined && this.llama.gpu === gpu)
            return this.llama.instance;
        await this.llama?.instance.dispose();
        this.llama = undefined;
        const {llama, gpuBackendProblem} = await createLlama({
            gpu,
            ...(this.options.gpuBackend === undefined ? {} : {selection: this.options.gpuBackend}),
            logger: (level, message) => this.log(toLogLevel(level), message.trimEnd())
        });
        if (gpuBackendProblem !== undefined)
            this.log("warn", gpuBackendProblem);
        this.llama = {instance: llama, gpu, ...(gpuBackendProblem === undefined ? {} : {gpuBackendProblem})};
        return llama;
    }

    private requireModel(): LoadedModel {
        this.ensureNotDisposed();
        if (this.loaded === undefined)
            throw new ConpetError("MODEL_NOT_SELECTED", "No model is loaded in the engine. Select a model with \"ConPET: Select Model…\" first.");
        return this.loaded;
    }

    private ensureNotDisposed(): void {
        if (this.disposed)
            throw new DisposedError("The engine");
    }

    private log(level: "debug" | "info" | "warn" | "error", message: string): void {
        safeCall(() => this.options.onLog?.(level, message));
    }
}

function mapLoadError(err: unknown, modelPath: string): ConpetError {
    if (err instanceof ConpetError)
        return err;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof InsufficientMemoryError)
        return new ConpetError("OUT_OF_MEMORY", `Not enough memory to load ${modelPath}: ${message}. Lower "conpet.gpuLayers" or pick a smaller model.`, {data: {modelPath}, cause: err});
    if (/architecture/i.test(message))
        return new ConpetError("MODEL_UNSUPPORTED", `llama.cpp can't load ${modelPath}: ${message}`, {data: {modelPath}, cause: err});
    return new ConpetError("MODEL_INVALID", `llama.cpp failed to load ${modelPath}: ${message}. The file may be damaged; download or convert it again.`, {data: {modelPath}, cause: err});
}

async function getVramUsed(llama: Llama): Promise<number> {
    try {
        return (await llama.getVramState()).used;
    } catch {
        return 0;
    }
}

function toBackend(gpu: Llama["gpu"]): Backend {
    return gpu === false ? "cpu" : gpu;
}

function toLogLevel(level: LlamaLogLevel): "debug" | "info" | "warn" | "error" {
    switch (level) {
        case LlamaLogLevel.fatal:
        case LlamaLogLevel.error:
            return "error";
        case LlamaLogLevel.warn:
            return "warn";
        case LlamaLogLevel.info:
            return "info";
        default:
            return "debug";
    }
}

function safeCall(callback: () => void): void {
    try {
        callback();
    } catch {
        // A listener that throws must not break model work.
    }
}

