#include "Trainer.h"

#include "BatchSampler.h"
#include "DequantizedBase.h"
#include "EventWriter.h"
#include "FatalErrorHandler.h"
#include "FrozenWeightCopies.h"
#include "GgmlBackends.h"
#include "GraphProfiler.h"
#include "GraphRewrites.h"
#include "LoraAdapterFile.h"
#include "ModelFile.h"
#include "Platform.h"
#include "SampleEncoder.h"
#include "ThreadGovernor.h"
#include "TrainerError.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ggml-backend.h>
#include <ggml-opt.h>
#include <llama.h>
#include <memory>
#include <thread>

namespace {

constexpr double pi = 3.14159265358979323846;

struct OptimizerState {
    float learningRate = 0;
    float weightDecay = 0;
};

ggml_opt_optimizer_params getOptimizerParams(void* userdata) {
    const auto* state = static_cast<const OptimizerState*>(userdata);
    ggml_opt_optimizer_params params = ggml_opt_get_default_optimizer_params(nullptr);
    params.adamw.alpha = state->learningRate;
    params.adamw.wd = state->weightDecay;
    return params;
}

bool trainNothingOfTheModel(const ggml_tensor*, void*) { return false; }

float resolveLearningRate(const TrainJob& job, int step) {
    if (step < job.warmupSteps)
        return job.learningRate * float(step + 1) / float(job.warmupSteps + 1);
    const int decaySteps = std::max(1, job.steps - job.warmupSteps);
    const double progress = double(step - job.warmupSteps) / double(decaySteps);
    switch (job.lrSchedule) {
    case LrSchedule::Constant:
        return job.learningRate;
    case LrSchedule::Linear:
        return float(job.learningRate * (1.0 - progress));
    case LrSchedule::Cosine:
    default:
        return float(job.learningRate * 0.5 * (1.0 + std::cos(pi * progress)));
    }
}

// CONPET_TRAIN_<name>=0 or 1 turns a speed-up off or on, for measuring what it brings.
bool isEnabled(const char* name, bool byDefault = true) {
    const char* value = std::getenv(name);
    return value == nullptr ? byDefault : std::string(value) != "0";
}

// What the transposed copies of frozen weights may take: the memory left after keeping the model
// file's pages (mapped, and read on every step) and a reserve for the rest of the system.
size_t getFastBackwardBudget(const std::string& modelPath) {
    if (!isEnabled("CONPET_TRAIN_FAST_BACKWARD"))
        return 0;
    const size_t available = getAvailableMemoryBytes();
    std::error_code ec;
    const size_t modelBytes = size_t(std::filesystem::file_size(modelPath, ec));
    const size_t reserve = std::max<size_t>(size_t(1) << 30, available / 4);
    const size_t budget = available > modelBytes + reserve ? available - modelBytes - reserve : 0;
    // an address-space limit (ulimit -v) binds before physical memory does: leave half of what is left
    // under it for the training buffers, which are allocated after the copies are planned
    return std::min(budget, getAddressSpaceHeadroom());
}

// BF16 copies of the frozen weights where the CPU backend has native BF16 dot products (about twice
// F32's matmul speed there), F32 elsewhere (BF16 would be converted back to F32 on every use);
// CONPET_TRAIN_BF16=0 or 1 decides instead.
ggml_type resolveCopyType(bool nativeBf16) {
    const bool bf16 = std::getenv("CONPET_TRAIN_BF16") == nullptr ? nativeBf16 : isEnabled("CONPET_TRAIN_BF16");
    return bf16 ? GGML_TYPE_BF16 : GGML_TYPE_F32;
}

// CPU time of the whole process (all threads) so far: with one thread, tokens per CPU second is the
// throughput the trainer would have on a quiet core, which a busy shared machine cannot show in wall time.
// Files that exist only while the run is in progress (also removed if ggml aborts).
struct TempFiles {
    std::vector<std::string> paths;
    void add(const std::string& path) {
        registerTempFile(path);
        paths.push_back(path);
    }
    ~TempFiles() {
        for (const auto& path : paths) {
            std::error_code ec;
            std::filesystem::remove(path, ec);
            unregisterTempFile(path);
        }
    }
};

void checkWritable(const std::string& outputPath, const std::string& tempPath) {
    const auto dir = std::filesystem::path(outputPath).parent_path();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
        throw TrainerError("NOT_WRITABLE", "The output folder does not exist: " + dir.string());
    std::ofstream probe(tempPath, std::ios::binary);
    if (!probe)
        throw TrainerError("NOT_WRITABLE", "Cannot write to the output folder " +
                                               (dir.empty() ? std::string(".") : dir.string()) + ". Check its permissions.");
}

struct Backend {
    std::string name = "cpu";
    int gpuLayers = 0;
    // train over an F32 copy of the model (DequantizedBase.h)
    bool dequantizedBase = false;
};

std::string formatMb(size_t bytes) {
    return std::to_string(bytes >> 20) + " MB";
}

// Whether a device runs the two backward ops LoRA training needs beyond inference's: OUT_PROD (the gradient
// through frozen weights) and CROSS_ENTROPY_LOSS_BACK. CUDA and Vulkan do (over F32); Metal has neither.
bool supportsTraining(ggml_backend_dev_t device) {
    ggml_init_params params{/*mem_size =*/ggml_tensor_overhead() * 8, /*mem_buffer =*/nullptr, /*no_alloc =*/true};
    ggml_context* ctx = ggml_init(params);
    if (ctx == nullptr)
        return false;
    ggml_tensor* weight = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, 64, 64);
    ggml_tensor* gradient = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, 64, 64);
    ggml_tensor* logits = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, 64, 4);
    ggml_tensor* labels = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, 64, 4);
    ggml_tensor* lossGradient = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, 1);
    const bool supported = ggml_backend_dev_supports_op(device, ggml_out_prod(ctx, weight, gradient)) &&
                           ggml_backend_dev_supports_op(device, ggml_cross_entropy_loss_back(ctx, logits, labels, lossGradient));
    ggml_free(ctx);
    return supported;
}

Backend resolveBackend(const TrainJob& job, const ModelFile& model) {
    ggml_backend_dev_t gpu = nullptr;
    for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
        ggml_backend_dev_t dev = ggml_backend_dev_get(i);
        const auto type = ggml_backend_dev_type(dev);
        if (type == GGML_BACKEND_DEVICE_TYPE_GPU || type == GGML_BACKEND_DEVICE_TYPE_IGPU) {
            gpu = dev;
            break;
        }
    }
    Backend backend;
    const bool automatic = job.gpuLayers == TrainJob::autoGpuLayers;
    if (job.gpuLayers == 0)
        return backend;
    if (gpu == nullptr) {
        if (!automatic)
            writeWarning("No GPU backend is available: training on the CPU.");
        return backend;
    }
    std::string name = ggml_backend_reg_name(ggml_backend_dev_backend_reg(gpu));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (!supportsTraining(gpu)) {
        // Metal: ggml implements inference there, not the backward pass; the CPU trains instead
        if (!automatic)
            writeWarning("The " + name + " backend cannot run LoRA training's backward pass (OUT_PROD, CROSS_ENTROPY_LOSS_BACK): training on the CPU.");
        return backend;
    }

    // GPU backends implement OUT_PROD (needed to back-propagate through frozen weights) for F32 only: another
    // base type trains over an F32 copy, where the device's memory and the output's disk hold it
    if (const ModelTensorInfo* weight = model.findNonF32Weight()) {
        const size_t f32Bytes = getF32ModelBytes(model);
        size_t freeBytes = 0;
        size_t totalBytes = 0;
        ggml_backend_dev_memory(gpu, &freeBytes, &totalBytes);
        const std::string folder = std::filesystem::path(job.outputPath).parent_path().string();
        const std::string type = ggml_type_name(ggml_type(weight->type));
        std::string why;
        std::string code;
        // a quarter more for the activations, gradients and optimizer state of a typical run
        if (f32Bytes + f32Bytes / 4 > freeBytes) {
            why = "The " + type + " model takes " + formatMb(f32Bytes) + " in F32, which the " + name +
                  " backend trains over, and the device has " + formatMb(freeBytes) + " free";
            code = "OUT_OF_MEMORY";
        } else if (!hasDiskSpace(folder, f32Bytes)) {
            why = "Training the " + type + " model on the " + name + " backend needs its F32 copy (" + formatMb(f32Bytes) +
                  ") on the disk of " + (folder.empty() ? std::string(".") : folder) + ", which has less free";
            code = "DISK_FULL";
        }
        if (!why.empty()) {
            // "auto" asked for the GPU only where it works; a number of layers asked for it outright
            if (automatic) {
                writeWarning(why + ": training on the CPU.");
                return backend;
            }
            throw TrainerError(code, why + ". Train on the CPU (set conpet.training.gpuLayers to 0 or auto) or free some.");
        }
        backend.dequantizedBase = true;
    }
    backend.gpuLayers = automatic ? TrainJob::allGpuLayers : job.gpuLayers;
    backend.name = name;
    return backend;
}

struct ModelDeleter {
    void operator()(llama_model* m) const { llama_model_free(m); }
};
struct ContextDeleter {
    void operator()(llama_context* c) const { llama_free(c); }
};
struct BatchOwner {
    llama_batch batch;
    explicit BatchOwner(int32_t nTokens) : batch(llama_batch_init(nTokens, 0, 1)) {}
    ~BatchOwner() { llama_batch_free(batch); }
    BatchOwner(const BatchOwner&) = delete;
    BatchOwner& operator=(const BatchOwner&) = delete;
};

// Packs samples into one batch: one sequence id each, each padded to the batch's longest sample, so
// that the patched attention computes each sample as its own stream (no attention across samples,
// O(T^2) per sample). Padding follows the sample at later positions, so no real token attends to
// it, and it produces no logits. Only completion positions produce logits; returns their labels.
std::vector<llama_token> fillBatch(llama_batch& batch, const std::vector<EncodedSample>& samples,
                                   const std::vector<int>& indices) {
    int longest = 0;
    for (const int index : indices)
        longest = std::max(longest, samples[size_t(index)].nInputs());
    std::vector<llama_token> labels;
    batch.n_tokens = 0;
    for (size_t s = 0; s < indices.size(); ++s) {
        const auto& sample = samples[size_t(indices[s])];
        for (int pos = 0; pos < longest; ++pos) {
            const int i = batch.n_tokens++;
            const bool padding = pos >= sample.nInputs();
            batch.token[i] = sample.tokens[size_t(padding ? sample.nInputs() - 1 : pos)];
            batch.pos[i] = pos;
            batch.n_seq_id[i] = 1;
            batch.seq_id[i][0] = llama_seq_id(s);
            const bool target = !padding && pos + 1 >= sample.nPrompt;
            batch.logits[i] = target;
            if (target)
                labels.push_back(sample.tokens[size_t(pos + 1)]);
        }
    }
    return labels;
}

struct StepResult {
    double loss = 0;
    int tokens = 0;
    int targets = 0;
};

StepResult runStep(llama_context* ctx, llama_batch& batch, ggml_opt_result_t result,
                   const std::vector<EncodedSample>& samples, const std::vector<int>& indices, bool train) {
    const auto labels = fillBatch(batch, samples, indices);
    ggml_opt_result_reset(result);
    const int32_t rc = llama_opt_step(ctx, batch, labels.data(), result, train);
    if (rc == -2)
        throw TrainerError("OUT_OF_MEMORY", "Could not prepare memory for a training step of " +
                                                std::to_string(batch.n_tokens) + " tokens. Lower batchSize or contextSize.");
    if (rc != 0)
        throw TrainerError("INTERNAL", "llama_opt_step failed with code " + std::to_string(rc));
    StepResult step;
    double unc = 0;
    ggml_opt_result_loss(result, &step.loss, &unc);
    for (const int index : indices) // real tokens, not padding
        step.tokens += samples[size_t(index)].nInputs();
    step.targets = int(labels.size());
    return step;
}

} // namespace

void runTraining(const TrainJob& job, const std::atomic<bool>& cancel) {
    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    const std::string suffix = ".tmp-" + std::to_string(getProcessId());
    TempFiles temp;
    const std::string tempOutput = job.outputPath + suffix;
    temp.add(tempOutput);
    checkWritable(job.outputPath, tempOutput);

    const ModelFile modelFile = readModelFile(job.modelPath);
    if (job.samples.empty() && job.synthetic.count <= 0)
        throw TrainerError("EMPTY_DATA", "There are no training samples. Add examples to the task first.");

    loadGgmlBackends();
    Backend backend = resolveBackend(job, modelFile);
    const int threads = job.threads > 0 ? job.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    // CONPET_TRAIN_DEQUANTIZE_BASE=1 trains over the F32 copy on the CPU too: what GPU training over a quantized
    // base does, measurable (and tested) on any machine
    if (isEnabled("CONPET_TRAIN_DEQUANTIZE_BASE", false) && modelFile.findNonF32Weight() != nullptr)
        backend.dequantizedBase = true;
    std::string modelPath = job.modelPath;
    if (backend.dequantizedBase) {
        modelPath = job.outputPath + ".base-f32" + suffix;
        temp.add(modelPath);
        writeDequantizedBase(job.modelPath, modelPath, threads);
    }

    llama_model_params modelParams = llama_model_default_params();
    modelParams.n_gpu_layers = backend.gpuLayers;
    modelParams.use_extra_bufts = false; // repacked CPU weights have no backward pass
    std::unique_ptr<llama_model, ModelDeleter> model(llama_model_load_from_file(modelPath.c_str(), modelParams));
    if (!model && hasAllocationFailed())
        throw TrainerError("OUT_OF_MEMORY", "Not enough memory to load the model. Close other programs or use a smaller model.");
    if (!model)
        throw TrainerError("MODEL_UNSUPPORTED", "llama.cpp could not load the model (architecture \"" +
                                                    modelFile.architecture +
                                                    "\"): the architecture is unsupported or the file is damaged. See "
                                                    "the trainer log for details.");
    const llama_vocab* vocab = llama_model_get_vocab(model.get());

    std::mt19937_64 rng(job.seed);
    std::vector<EncodedSample> samples = job.synthetic.count > 0
                                             ? createSyntheticSamples(vocab, job.synthetic, rng)
                                             : encodeSamples(vocab, job.samples, job.contextSize, "sample");
    const std::vector<EncodedSample> evalSamples = encodeSamples(vocab, job.evalSamples, job.contextSize, "eval sample");
    if (samples.empty())
        throw TrainerError("EMPTY_DATA", "There are no training samples. Add examples to the task first.");

    float alpha = job.alpha;
    std::string adapterSource = job.initAdapterPath;
    if (adapterSource.empty()) {
        adapterSource = job.outputPath + ".init" + suffix;
        temp.add(adapterSource);
        writeInitialAdapter(modelFile, job.targetModules, job.rank, job.alpha, job.seed, adapterSource);
    } else if (!std::filesystem::is_regular_file(adapterSource)) {
        throw TrainerError("INVALID_INPUT", "The adapter to continue from does not exist: " + adapterSource);
    }
    llama_adapter_lora* adapter = llama_adapter_lora_init(model.get(), adapterSource.c_str());
    if (adapter == nullptr && hasAllocationFailed())
        throw TrainerError("OUT_OF_MEMORY", "Not enough memory for a LoRA adapter of rank " + std::to_string(job.rank) +
                                                ". Lower the LoRA rank or use a smaller model.");
    if (adapter == nullptr)
        throw TrainerError("INVALID_INPUT", "The adapter " + adapterSource + " does not fit this model.");
    if (!job.initAdapterPath.empty())
        alpha = readAdapterAlpha(adapter, job.alpha);

    int longest = 0;
    for (const auto* set : std::vector<const std::vector<EncodedSample>*>{&samples, &evalSamples})
        for (const auto& sample : *set)
            longest = std::max(longest, sample.nInputs());
    const int maxTokens = longest * job.batchSize;
    const uint32_t nCtx = uint32_t((maxTokens + 255) / 256 * 256);

    // before the context: the budget counts what the model and the adapter left free
    const bool nativeBf16 = cpuHasNativeBf16();
    FrozenWeightCopies fastBackward(backend.gpuLayers == 0 ? getFastBackwardBudget(modelPath) : 0,
                                    getF32ModelBytes(modelFile), resolveCopyType(nativeBf16),
                                    // F32 forward copies of quantized weights measured no faster (native/README.md)
                                    isEnabled("CONPET_TRAIN_DEQUANTIZE_FORWARD", false),
                                    nativeBf16 && isEnabled("CONPET_TRAIN_BF16_PANELS"));
    llama_context_params ctxParams = llama_context_default_params();
    ctxParams.n_ctx = nCtx;
    ctxParams.n_batch = nCtx;
    ctxParams.n_ubatch = nCtx;
    ctxParams.n_seq_max = uint32_t(job.batchSize);
    ctxParams.n_outputs_max = 0;
    ctxParams.n_outputs_max_per_seq = 0;
    ctxParams.kv_unified = true;
    ctxParams.n_threads = threads;
    ctxParams.n_threads_batch = threads;
    ctxParams.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    ctxParams.no_perf = true;
    ActivationProducts activationProducts;
    GraphRewrites rewrites{fastBackward, isEnabled("CONPET_TRAIN_ACTIVATION_PRODUCTS") ? &activationProducts : nullptr};
    ctxParams.cb_eval = GraphRewrites::onGraphNode;
    ctxParams.cb_eval_user_data = &rewrites;
    const char* profilePath = std::getenv("CONPET_TRAIN_PROFILE");
    GraphProfiler profiler(GraphRewrites::onGraphNode, &rewrites);
    if (profilePath != nullptr) {
        ctxParams.cb_eval = GraphProfiler::onGraphNode;
        ctxParams.cb_eval_user_data = &profiler;
    }
    std::unique_ptr<llama_context, ContextDeleter> ctx(llama_init_from_model(model.get(), ctxParams));
    if (!ctx)
        throw TrainerError("OUT_OF_MEMORY", "Could not create the training context for " + std::to_string(nCtx) +
                                                " tokens (out of memory?). Lower batchSize or contextSize.");
    float scale = 1.0f;
    if (llama_set_adapters_lora(ctx.get(), &adapter, 1, &scale) != 0)
        throw TrainerError("INTERNAL", "Could not attach the LoRA adapter");
    llama_adapter_lora_set_trainable(adapter);

    OptimizerState optimizer{job.learningRate, job.weightDecay};
    llama_opt_params optParams{};
    optParams.n_ctx_train = nCtx;
    optParams.param_filter = trainNothingOfTheModel;
    optParams.param_filter_ud = nullptr;
    optParams.get_opt_pars = getOptimizerParams;
    optParams.get_opt_pars_ud = &optimizer;
    optParams.optimizer_type = GGML_OPT_OPTIMIZER_TYPE_ADAMW;
    llama_opt_init(ctx.get(), model.get(), optParams);

    const int64_t trainable = countAdapterParameters(adapter);
    const int64_t modelParameters = int64_t(llama_model_n_params(model.get()));
    writeEvent({{"type", "started"},
                {"backend", backend.name},
                {"threads", threads},
                {"trainableParameters", trainable},
                {"modelParameters", modelParameters},
                {"steps", job.steps}});

    std::unique_ptr<std::remove_pointer_t<ggml_opt_result_t>, decltype(&ggml_opt_result_free)> result(
        ggml_opt_result_init(), ggml_opt_result_free);
    BatchOwner batchOwner{static_cast<int32_t>(nCtx)};
    llama_batch& batch = batchOwner.batch;

    const auto evaluate = [&](int step) {
        if (evalSamples.empty())
            return;
        double weighted = 0;
        long targets = 0;
        for (size_t from = 0; from < evalSamples.size(); from += size_t(job.batchSize)) {
            if (cancel)
                throw TrainerError("CANCELLED", "Training was cancelled.");
            std::vector<int> indices;
            for (size_t i = from; i < std::min(evalSamples.size(), from + size_t(job.batchSize)); ++i)
                indices.push_back(int(i));
            const StepResult r = runStep(ctx.get(), batch, result.get(), evalSamples, indices, false);
            weighted += r.loss * r.targets;
            targets += r.targets;
        }
        writeEvent({{"type", "eval"}, {"step", step}, {"loss", targets > 0 ? weighted / double(targets) : 0.0}});
    };

    if (job.evalEvery > 0 && job.steps > 0)
        evaluate(0); // the held-out loss before training, as a reference
    BatchSampler sampler(samples, job.batchSize, job.replay, job.replayNewGroup, job.replayRatio, job.seed);
    ThreadGovernor governor(threads, backend.gpuLayers == 0 && isEnabled("CONPET_TRAIN_ADAPTIVE_THREADS"));
    int stepThreads = threads;
    long tokens = 0;
    double trainSeconds = 0;
    double lastLoss = 0;
    for (int step = 0; step < job.steps; ++step) {
        if (cancel)
            throw TrainerError("CANCELLED", "Training was cancelled.");
        optimizer.learningRate = resolveLearningRate(job, step);
        if (const int next = governor.next(); next != stepThreads) {
            stepThreads = next;
            llama_set_n_threads(ctx.get(), stepThreads, stepThreads);
        }
        const auto stepStart = std::chrono::steady_clock::now();
        const StepResult r = runStep(ctx.get(), batch, result.get(), samples, sampler.next(), true);
        trainSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - stepStart).count();
        if (step == 0 && fastBackward.nodesSkipped() > 0 && isEnabled("CONPET_TRAIN_FAST_BACKWARD"))
            writeWarning("Not enough free memory for the fast backward pass through every weight (" +
                         std::to_string(fastBackward.bytesUsed() >> 20) +
                         " MB used): training runs slower. Close other programs or use a smaller model.");
        tokens += r.tokens;
        lastLoss = r.loss;
        if (!std::isfinite(r.loss))
            throw TrainerError("INTERNAL", "The loss became " + std::to_string(r.loss) + " at step " +
                                               std::to_string(step + 1) + ". Lower the learning rate.");
        writeEvent({{"type", "progress"},
                    {"step", step + 1},
                    {"totalSteps", job.steps},
                    {"loss", r.loss},
                    {"learningRate", optimizer.learningRate},
                    {"tokensPerSecond", trainSeconds > 0 ? double(tokens) / trainSeconds : 0.0},
                    {"elapsedSeconds", elapsed()},
                    {"cpuSeconds", getCpuSeconds()},
                    {"threads", stepThreads}});
        if (job.evalEvery > 0 && (step + 1) % job.evalEvery == 0 && step + 1 < job.steps)
            evaluate(step + 1);
    }
    evaluate(job.steps);
    if (cancel)
        throw TrainerError("CANCELLED", "Training was cancelled.");

    if (profilePath != nullptr)
        profiler.write(profilePath);
    writeTrainedAdapter(adapter, modelFile.architecture, alpha, tempOutput);
    std::error_code ec;
    std::filesystem::rename(tempOutput, job.outputPath, ec);
    if (ec)
        throw TrainerError("NOT_WRITABLE", "Cannot move the adapter to " + job.outputPath + ": " + ec.message());
    writeEvent({{"type", "done"},
                {"adapterPath", job.outputPath},
                {"trainableParameters", trainable},
                {"modelParameters", modelParameters},
                {"steps", job.steps},
                {"tokens", tokens},
                {"seconds", elapsed()},
                {"tokensPerSecond", trainSeconds > 0 ? double(tokens) / trainSeconds : 0.0},
                {"finalLoss", lastLoss},
                {"peakRssMb", getPeakRssMb()},
                {"backend", backend.name},
                {"threads", threads},
                {"fastBackwardWeights", fastBackward.weightsCached()},
                {"fastBackwardMb", double(fastBackward.bytesUsed()) / (1024.0 * 1024.0)},
                {"forwardCopyWeights", fastBackward.forwardCopies()},
                {"copyType", ggml_type_name(fastBackward.copyType())},
                {"panelCopies", fastBackward.panelCopies()},
                {"dequantizedBase", backend.dequantizedBase},
                {"activationProductNodes", activationProducts.nodesRewritten()}});
}
