// The backward pass through frozen weights as a matrix product instead of an outer product.
//
// ggml's autodiff writes the input gradient of y = W·x (W a frozen weight, not trained) as
// OUT_PROD(W, transpose(dY)). Its CPU kernel runs at about a third of the forward SGEMM's speed on
// F32 weights and dequantizes a row of W for every use on quantized ones (~55% of CPU time over F32
// and most of it over Q8_0/Q4_K). The same product is MUL_MAT(Wᵀ, dY) with Wᵀ stored contiguously,
// which runs on ggml's fast matmul path (tinyBLAS) like the forward pass.
//
// This keeps, for every frozen weight the backward pass goes through, an F32 copy of its transpose
// (dequantized from quantized weights), made on the first step that needs it, while the memory
// budget allows; and, through the scheduler's eval callback (called for every node before it is
// computed), rewrites each such OUT_PROD node into that MUL_MAT. Weights that do not fit keep the
// OUT_PROD path. The forward pass runs on the model's own weights, as inference does; on request
// (and when the budget holds two F32 copies of every weight) the forward MUL_MATs over a quantized
// model read a dequantized F32 copy too, which measured no faster on this CPU.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ggml-backend.h>
#include <ggml.h>
#include <memory>
#include <unordered_map>
#include <vector>

class FrozenWeightBackward {
public:
    // `budgetBytes`: the most memory the copies may take in all. `modelF32Bytes`: the model's matrices
    // in F32. `dequantizeForward`: allow forward copies (when the budget holds both kinds).
    FrozenWeightBackward(size_t budgetBytes, size_t modelF32Bytes, bool dequantizeForward);
    ~FrozenWeightBackward();
    FrozenWeightBackward(const FrozenWeightBackward&) = delete;
    FrozenWeightBackward& operator=(const FrozenWeightBackward&) = delete;

    // For llama_context_params::cb_eval (user data: this object).
    static bool onGraphNode(ggml_tensor* node, bool ask, void* self);

    size_t bytesUsed() const { return bytesUsed_; }
    // transposed copies (backward) and dequantized copies (forward)
    int weightsCached() const { return weightsCached_; }
    int forwardCopies() const { return forwardCopies_; }
    // OUT_PROD nodes left on the slow path because the budget was spent (or the weight's type has no
    // dequantization), since the start.
    int64_t nodesSkipped() const { return nodesSkipped_; }
    int64_t nodesRewritten() const { return nodesRewritten_; }

private:
    void rewriteBackward(ggml_tensor* node);
    void rewriteForward(ggml_tensor* node);
    // nullptr when it does not fit or cannot be made
    ggml_tensor* getCopy(const ggml_tensor* weight, bool transposed);

    size_t budgetBytes_;
    size_t bytesUsed_ = 0;
    int weightsCached_ = 0;
    int forwardCopies_ = 0;
    bool dequantizeForward_ = false;
    int64_t nodesSkipped_ = 0;
    int64_t nodesRewritten_ = 0;
    ggml_backend_buffer_type_t cpuBufferType_ = nullptr;
    std::vector<ggml_context*> contexts_;
    std::vector<ggml_backend_buffer_t> buffers_;
    // nullptr: the weight was seen and does not get a copy
    std::unordered_map<const ggml_tensor*, ggml_tensor*> transposed_;
    std::unordered_map<const ggml_tensor*, ggml_tensor*> dequantized_;
};
