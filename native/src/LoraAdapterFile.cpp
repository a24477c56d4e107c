#include "LoraAdapterFile.h"

#include "TrainerError.h"

#include <algorithm>
#include <cmath>
#include <ggml-backend.h>
#include <ggml.h>
#include <gguf.h>
#include <map>
#include <random>

namespace {

void setAdapterKeys(gguf_context* gguf, const std::string& architecture, float alpha) {
    gguf_set_val_str(gguf, "general.type", "adapter");
    gguf_set_val_str(gguf, "general.architecture", architecture.c_str());
    gguf_set_val_str(gguf, "adapter.type", "lora");
    gguf_set_val_f32(gguf, "adapter.lora.alpha", alpha);
}

void writeGguf(gguf_context* gguf, const std::string& path) {
    if (!gguf_write_to_file(gguf, path.c_str(), false))
        throw TrainerError("NOT_WRITABLE", "Cannot write the adapter file " + path);
}

std::vector<ggml_tensor*> getAdapterTensors(const llama_adapter_lora* adapter) {
    const int32_t n = llama_adapter_lora_get_tensors(adapter, nullptr, 0);
    std::vector<ggml_tensor*> tensors(static_cast<size_t>(n));
    llama_adapter_lora_get_tensors(adapter, tensors.data(), n);
    // a stable order, so that the same training writes the same bytes
    std::sort(tensors.begin(), tensors.end(),
              [](const ggml_tensor* a, const ggml_tensor* b) { return std::string(a->name) < std::string(b->name); });
    return tensors;
}

} // namespace

std::string resolveTargetTensorName(const std::string& target) {
    static const std::map<std::string, std::string> names = {{"q", "attn_q"},     {"k", "attn_k"},   {"v", "attn_v"},
                                                             {"o", "attn_output"}, {"gate", "ffn_gate"}, {"up", "ffn_up"},
                                                             {"down", "ffn_down"}};
    const auto it = names.find(target);
    if (it == names.end())
        throw TrainerError("INVALID_INPUT", "Unknown LoRA target \"" + target + "\": use q, k, v, o, gate, up or down");
    return it->second;
}

int64_t writeInitialAdapter(const ModelFile& model, const std::vector<std::string>& targets, int rank, float alpha,
                            uint64_t seed, const std::string& path) {
    std::vector<std::string> infixes;
    for (const auto& target : targets)
        infixes.push_back("." + resolveTargetTensorName(target) + ".weight");

    std::vector<const ModelTensorInfo*> bases;
    size_t dataSize = 0;
    for (const auto& tensor : model.tensors) {
        if (tensor.name.rfind("blk.", 0) != 0 || tensor.nDims != 2)
            continue;
        for (const auto& infix : infixes) {
            if (tensor.name.size() > infix.size() &&
                tensor.name.compare(tensor.name.size() - infix.size(), infix.size(), infix) == 0) {
                bases.push_back(&tensor);
                dataSize += size_t(rank) * size_t(tensor.ne[0] + tensor.ne[1]) * sizeof(float);
            }
        }
    }
    if (bases.empty())
        throw TrainerError("MODEL_UNSUPPORTED", "The " + model.architecture +
                                                    " model has none of the LoRA target projections; it may use fused "
                                                    "projections that this trainer does not target.");

    ggml_init_params params = {dataSize + 2 * bases.size() * (ggml_tensor_overhead() + 64) + 1024, nullptr, false};
    ggml_context* ctx = ggml_init(params);
    gguf_context* gguf = gguf_init_empty();
    setAdapterKeys(gguf, model.architecture, alpha);
    std::mt19937_64 rng(seed);
    int64_t trainable = 0;
    for (const auto* base : bases) {
        ggml_tensor* a = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, base->ne[0], rank);
        ggml_tensor* b = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, rank, base->ne[1]);
        ggml_set_name(a, (base->name + ".lora_a").c_str());
        ggml_set_name(b, (base->name + ".lora_b").c_str());
        const float bound = 1.0f / std::sqrt(float(base->ne[0]));
        std::uniform_real_distribution<float> dist(-bound, bound);
        float* da = static_cast<float*>(a->data);
        for (int64_t i = 0; i < ggml_nelements(a); ++i)
            da[i] = dist(rng);
        std::fill_n(static_cast<float*>(b->data), ggml_nelements(b), 0.0f);
        gguf_add_tensor(gguf, a);
        gguf_add_tensor(gguf, b);
        trainable += ggml_nelements(a) + ggml_nelements(b);
    }
    writeGguf(gguf, path);
    gguf_free(gguf);
    ggml_free(ctx);
    return trainable;
}

void writeTrainedAdapter(const llama_adapter_lora* adapter, const std::string& architecture, float alpha,
                         const std::string& path) {
    const auto tensors = getAdapterTensors(adapter);
    size_t dataSize = 0;
    for (const auto* t : tensors)
        dataSize += ggml_nelements(t) * sizeof(float) + 64;
    ggml_init_params params = {dataSize + tensors.size() * ggml_tensor_overhead() + 1024, nullptr, false};
    ggml_context* ctx = ggml_init(params);
    gguf_context* gguf = gguf_init_empty();
    setAdapterKeys(gguf, architecture, alpha);
    for (const auto* t : tensors) {
        if (t->type != GGML_TYPE_F32)
            throw TrainerError("INTERNAL", std::string("adapter tensor ") + t->name + " is not F32");
        ggml_tensor* copy = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, t->ne[0], t->ne[1]);
        ggml_set_name(copy, t->name);
        ggml_backend_tensor_get(t, copy->data, 0, ggml_nbytes(t));
        gguf_add_tensor(gguf, copy);
    }
    writeGguf(gguf, path);
    gguf_free(gguf);
    ggml_free(ctx);
}

float readAdapterAlpha(const llama_adapter_lora* adapter, float fallback) {
    char buf[64];
    if (llama_adapter_meta_val_str(adapter, "adapter.lora.alpha", buf, sizeof(buf)) > 0)
        return std::strtof(buf, nullptr);
    return fallback;
}

int64_t countAdapterParameters(const llama_adapter_lora* adapter) {
    int64_t n = 0;
    for (const auto* t : getAdapterTensors(adapter))
        n += ggml_nelements(t);
    return n;
}
