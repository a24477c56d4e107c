#include "FrozenWeightBackward.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace {

// Rows dequantized together before they are scattered into the transpose: 16 rows make each
// written run of the transpose 64 bytes (a cache line) instead of one float.
constexpr int64_t rowBlock = 16;

bool isFrozenWeight(const ggml_tensor* t) {
    return t->buffer != nullptr && ggml_backend_buffer_get_usage(t->buffer) == GGML_BACKEND_BUFFER_USAGE_WEIGHTS &&
           (t->flags & GGML_TENSOR_FLAG_PARAM) == 0 && t->view_src == nullptr && t->ne[2] == 1 && t->ne[3] == 1 &&
           // the OUT_PROD node runs where its weight is; only the CPU backend gets the rewrite
           ggml_backend_buffer_is_host(t->buffer);
}

// Writes `weight` ([n, m], any type with a dequantization) to `out` as F32 ([n, m]).
void dequantize(const ggml_tensor* weight, float* out) {
    const auto* traits = ggml_get_type_traits(weight->type);
    const char* data = static_cast<const char*>(weight->data);
    for (int64_t j = 0; j < weight->ne[1]; ++j)
        traits->to_float(data + j * weight->nb[1], out + j * weight->ne[0], weight->ne[0]);
}

// Writes the F32 transpose of `weight` ([n, m], any type with a dequantization) to `out` ([m, n]).
void dequantizeTransposed(const ggml_tensor* weight, float* out) {
    const int64_t n = weight->ne[0];
    const int64_t m = weight->ne[1];
    const auto* traits = ggml_get_type_traits(weight->type);
    std::vector<float> block(size_t(rowBlock * n));
    const char* data = static_cast<const char*>(weight->data);
    for (int64_t j0 = 0; j0 < m; j0 += rowBlock) {
        const int64_t rows = std::min(rowBlock, m - j0);
        for (int64_t r = 0; r < rows; ++r) {
            const char* row = data + (j0 + r) * weight->nb[1];
            float* dst = block.data() + r * n;
            if (weight->type == GGML_TYPE_F32)
                std::memcpy(dst, row, size_t(n) * sizeof(float));
            else
                traits->to_float(row, dst, n);
        }
        for (int64_t i = 0; i < n; ++i) {
            float* dst = out + i * m + j0;
            for (int64_t r = 0; r < rows; ++r)
                dst[r] = block[size_t(r * n + i)];
        }
    }
}

} // namespace

FrozenWeightBackward::FrozenWeightBackward(size_t budgetBytes, size_t modelF32Bytes, bool dequantizeForward)
    : budgetBytes_(budgetBytes), dequantizeForward_(dequantizeForward && budgetBytes >= 2 * modelF32Bytes) {
    if (ggml_backend_dev_t cpu = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU))
        cpuBufferType_ = ggml_backend_dev_buffer_type(cpu);
}

FrozenWeightBackward::~FrozenWeightBackward() {
    for (auto* buffer : buffers_)
        ggml_backend_buffer_free(buffer);
    for (auto* ctx : contexts_)
        ggml_free(ctx);
}

bool FrozenWeightBackward::onGraphNode(ggml_tensor* node, bool ask, void* self) {
    auto* me = static_cast<FrozenWeightBackward*>(self);
    if (ask && node->op == GGML_OP_OUT_PROD)
        me->rewriteBackward(node);
    else if (ask && node->op == GGML_OP_MUL_MAT && me->dequantizeForward_)
        me->rewriteForward(node);
    return false; // never asks to see a node's data, so the scheduler computes the graph in one piece
}

void FrozenWeightBackward::rewriteForward(ggml_tensor* node) {
    // MUL_MAT(W [n, m], x [n, p]): the same product over W's F32 values. The backward graph was built
    // from the original node, so its OUT_PROD still names W itself.
    ggml_tensor* weight = node->src[0];
    if (!isFrozenWeight(weight) || !ggml_is_quantized(weight->type) || node->src[1]->type != GGML_TYPE_F32)
        return;
    if (ggml_tensor* copy = getCopy(weight, false))
        node->src[0] = copy;
}

void FrozenWeightBackward::rewriteBackward(ggml_tensor* node) {
    // OUT_PROD(W [n, m], transpose(dY [m, p])) → [n, p]: the input gradient through W
    ggml_tensor* weight = node->src[0];
    ggml_tensor* transposedGrad = node->src[1];
    if (!isFrozenWeight(weight) || transposedGrad == nullptr || transposedGrad->op != GGML_OP_TRANSPOSE)
        return;
    ggml_tensor* grad = transposedGrad->src[0];
    if (grad == nullptr || grad->type != GGML_TYPE_F32 || !ggml_is_contiguous(grad) || grad->ne[0] != weight->ne[1] ||
        grad->ne[2] != 1 || grad->ne[3] != 1 || node->ne[0] != weight->ne[0] || node->ne[1] != grad->ne[1] ||
        node->ne[2] != 1 || node->ne[3] != 1)
        return;
    ggml_tensor* transposed = getCopy(weight, true);
    if (transposed == nullptr) {
        ++nodesSkipped_;
        return;
    }
    // MUL_MAT(a [k, n], b [k, p]) = aᵀ·b [n, p] with k = m: the same numbers as the outer product, summed in
    // another order. MUL_MAT has no op params; the node keeps its buffer, shape and place in the graph.
    node->op = GGML_OP_MUL_MAT;
    node->src[0] = transposed;
    node->src[1] = grad;
    std::memset(node->op_params, 0, sizeof(node->op_params));
    ++nodesRewritten_;
}

ggml_tensor* FrozenWeightBackward::getCopy(const ggml_tensor* weight, bool transpose) {
    auto& copies = transpose ? transposed_ : dequantized_;
    if (const auto found = copies.find(weight); found != copies.end())
        return found->second;
    const size_t bytes = size_t(ggml_nelements(weight)) * sizeof(float);
    const bool convertible = weight->type == GGML_TYPE_F32 || ggml_get_type_traits(weight->type)->to_float != nullptr;
    if (cpuBufferType_ == nullptr || !convertible || bytesUsed_ + bytes > budgetBytes_) {
        copies.emplace(weight, nullptr);
        return nullptr;
    }
    ggml_init_params params{ggml_tensor_overhead(), nullptr, /*no_alloc =*/true};
    ggml_context* ctx = ggml_init(params);
    ggml_tensor* copy = transpose ? ggml_new_tensor_2d(ctx, GGML_TYPE_F32, weight->ne[1], weight->ne[0])
                                  : ggml_new_tensor_2d(ctx, GGML_TYPE_F32, weight->ne[0], weight->ne[1]);
    ggml_backend_buffer_t buffer = ggml_backend_buft_alloc_buffer(cpuBufferType_, ggml_nbytes(copy));
    if (buffer == nullptr) {
        ggml_free(ctx);
        copies.emplace(weight, nullptr);
        return nullptr;
    }
    contexts_.push_back(ctx);
    buffers_.push_back(buffer);
    ggml_backend_tensor_alloc(buffer, copy, ggml_backend_buffer_get_base(buffer));
    if (transpose)
        dequantizeTransposed(weight, static_cast<float*>(copy->data));
    else
        dequantize(weight, static_cast<float*>(copy->data));
    bytesUsed_ += bytes;
    ++(transpose ? weightsCached_ : forwardCopies_);
    copies.emplace(weight, copy);
    return copy;
}

