// Copies of the frozen weights in the layout and type ggml's fast matmul wants, used in place of the
// model's own weights while training.
//
// Backward: ggml's autodiff writes the input gradient of y = W·x (W a frozen weight, not trained) as
// OUT_PROD(W, transpose(dY)). Its CPU kernel runs at about a third of the forward SGEMM's speed on F32
// weights and dequantizes a row of W for every use on quantized ones (~55% of CPU time over F32 and most
// of it over Q8_0/Q4_K). The same product is MUL_MAT(Wᵀ, dY) with Wᵀ stored contiguously, which runs on
// ggml's fast matmul path (tinyBLAS) like the forward pass. Each frozen weight the backward pass goes
// through gets a transposed copy, made on the first step that needs it.
//
// Forward: where the CPU has native BF16 dot products (AVX512-BF16), the copies are BF16 and every
// frozen weight's forward MUL_MAT reads a BF16 copy too, so both passes run on BF16 dot products, about
// twice as fast as F32 (and as fast over a quantized base as over F32: the copies are the same). Those
// copies are stored as panels for the trainer's own BF16 kernel (Bf16Panels.h) where the shape allows,
// else as plain BF16 matrices for ggml's tinyBLAS.
// Otherwise the copies are F32 and the forward pass runs on the model's own weights, as inference does
// (an F32 forward copy of a quantized weight measured no faster), unless asked for.
//
// The copies are rewritten into the graph through the scheduler's eval callback (called for every node
// before it is computed; see GraphRewrites), while the memory budget allows; weights that do not fit keep
// the model's own weights and the OUT_PROD path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ggml-backend.h>
#include <ggml.h>
#include <unordered_map>
#include <unordered_set>
#include <vector>

class FrozenWeightCopies {
public:
    // `budgetBytes`: the most memory the copies may take in all. `modelF32Bytes`: the model's matrices in
    // F32. `copyType`: GGML_TYPE_BF16 or GGML_TYPE_F32. `forwardCopies`: forward copies also over F32
    // copies of quantized weights (BF16 copies always have them). Forward copies are made only when the
    // budget holds both kinds for every weight. `panels`: BF16 copies are stored as panels and multiplied
    // by the trainer's kernel (Bf16Panels.h; the CPU must have AVX512-BF16), where the shape allows.
    FrozenWeightCopies(size_t budgetBytes, size_t modelF32Bytes, ggml_type copyType, bool forwardCopies, bool panels);
    ~FrozenWeightCopies();
    FrozenWeightCopies(const FrozenWeightCopies&) = delete;
    FrozenWeightCopies& operator=(const FrozenWeightCopies&) = delete;

    // Called for every graph node before it is computed (the trainer's eval callback): gives a frozen weight's
    // node its copy. Returns whether it rewrote the node.
    bool rewrite(ggml_tensor* node);

    ggml_type copyType() const { return copyType_; }
    size_t bytesUsed() const { return bytesUsed_; }
    // transposed copies (backward) and forward copies
    int weightsCached() const { return weightsCached_; }
    int forwardCopies() const { return forwardCopies_; }
    // OUT_PROD nodes left on the slow path because the budget was spent (or the weight's type has no
    // dequantization), since the start.
    int64_t nodesSkipped() const { return nodesSkipped_; }
    int64_t nodesRewritten() const { return nodesRewritten_; }
    // copies stored as BF16 panels
    int panelCopies() const { return int(panels_.size()); }

private:
    bool rewriteBackward(ggml_tensor* node);
    bool rewriteForward(ggml_tensor* node);
    // nullptr when it does not fit or cannot be made
    ggml_tensor* getCopy(const ggml_tensor* weight, bool transposed);

    size_t budgetBytes_;
    ggml_type copyType_;
    bool forwardCopiesAllowed_;
    bool panelsAllowed_;
    size_t bytesUsed_ = 0;
    int weightsCached_ = 0;
    int forwardCopies_ = 0;
    int64_t nodesSkipped_ = 0;
    int64_t nodesRewritten_ = 0;
    ggml_backend_buffer_type_t cpuBufferType_ = nullptr;
    std::vector<ggml_context*> contexts_;
    std::vector<ggml_backend_buffer_t> buffers_;
    // nullptr: the weight was seen and does not get a copy
    std::unordered_map<const ggml_tensor*, ggml_tensor*> transposed_;
    std::unordered_map<const ggml_tensor*, ggml_tensor*> forward_;
    std::unordered_set<const ggml_tensor*> panels_;
};
