#include "FrozenWeightCopies.h"

#include "Bf16Panels.h"

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

// Row `j` of `weight` ([n, m], F32 or any type with a dequantization) as n floats.
void readRow(const ggml_tensor* weight, int64_t j, float* out) {
    const char* row = static_cast<const char*>(weight->data) + j * weight->nb[1];
    if (weight->type == GGML_TYPE_F32)
        std::memcpy(out, row, size_t(weight->ne[0]) * sizeof(float));
    else
        ggml_get_type_traits(weight->type)->to_float(row, out, weight->ne[0]);
}

// Writes n floats as `type` (F32 or BF16) at `out`.
void writeValues(const float* values, int64_t n, ggml_type type, char* out) {
    if (type == GGML_TYPE_BF16)
        ggml_fp32_to_bf16_row(values, reinterpret_cast<ggml_bf16_t*>(out), n);
    else
        std::memcpy(out, values, size_t(n) * sizeof(float));
}

// Fills `copy` with `weight` ([n, m]): the same shape, or its transpose ([m, n]), in the copy's type.
void writeCopy(const ggml_tensor* weight, bool transposed, ggml_tensor* copy) {
    const int64_t n = weight->ne[0];
    const int64_t m = weight->ne[1];
    const size_t valueSize = ggml_type_size(copy->type);
    char* out = static_cast<char*>(copy->data);
    std::vector<float> block(size_t(rowBlock * n));
    std::vector<float> column(static_cast<size_t>(rowBlock));
    for (int64_t j0 = 0; j0 < m; j0 += rowBlock) {
        const int64_t rows = std::min(rowBlock, m - j0);
        for (int64_t r = 0; r < rows; ++r)
            readRow(weight, j0 + r, block.data() + r * n);
        if (!transposed) {
            writeValues(block.data(), rows * n, copy->type, out + size_t(j0 * n) * valueSize);
            continue;
        }
        for (int64_t i = 0; i < n; ++i) {
            for (int64_t r = 0; r < rows; ++r)
                column[size_t(r)] = block[size_t(r * n + i)];
            writeValues(column.data(), rows, copy->type, out + size_t(i * m + j0) * valueSize);
        }
    }
}

// Fills `copy` (BF16, k × n) with the panels of `weight` or of its transpose (Bf16Panels.h).
void writePanels(const ggml_tensor* weight, bool transposed, ggml_tensor* copy) {
    std::vector<float> row(size_t(weight->ne[0]));
    for (int64_t j = 0; j < weight->ne[1]; ++j) {
        readRow(weight, j, row.data());
        packBf16PanelRow(row.data(), j, transposed, copy->ne[0], copy->ne[1], static_cast<ggml_bf16_t*>(copy->data));
    }
}

bool hasContiguousRows(const ggml_tensor* t) {
    return t->type == GGML_TYPE_F32 && t->nb[0] == sizeof(float) && t->ne[2] == 1 && t->ne[3] == 1;
}

} // namespace

FrozenWeightCopies::FrozenWeightCopies(size_t budgetBytes, size_t modelF32Bytes, ggml_type copyType, bool forwardCopies, bool panels)
    : budgetBytes_(budgetBytes), copyType_(copyType),
      // a forward and a transposed copy of every matrix: twice its size in the copy type
      forwardCopiesAllowed_((forwardCopies || copyType == GGML_TYPE_BF16) &&
                            budgetBytes / 2 >= modelF32Bytes / sizeof(float) * ggml_type_size(copyType)),
      panelsAllowed_(panels && copyType == GGML_TYPE_BF16 && bf16PanelsBuilt()) {
    if (ggml_backend_dev_t cpu = ggml_backend_dev_by_type(GGML_BACKEND_DEVICE_TYPE_CPU))
        cpuBufferType_ = ggml_backend_dev_buffer_type(cpu);
}

FrozenWeightCopies::~FrozenWeightCopies() {
    for (auto* buffer : buffers_)
        ggml_backend_buffer_free(buffer);
    for (auto* ctx : contexts_)
        ggml_free(ctx);
}

bool FrozenWeightCopies::rewrite(ggml_tensor* node) {
    if (node->op == GGML_OP_OUT_PROD)
        return rewriteBackward(node);
    if (node->op == GGML_OP_MUL_MAT && forwardCopiesAllowed_)
        return rewriteForward(node);
    return false;
}

bool FrozenWeightCopies::rewriteForward(ggml_tensor* node) {
    // MUL_MAT(W [n, m], x [n, p]): the same product over the copy's values. The backward graph was built
    // from the original node, so its OUT_PROD still names W itself. An F32 weight has no F32 copy to gain.
    ggml_tensor* weight = node->src[0];
    if (!isFrozenWeight(weight) || weight->type == copyType_ || node->src[1]->type != GGML_TYPE_F32)
        return false;
    ggml_tensor* copy = getCopy(weight, false);
    if (copy == nullptr)
        return false;
    if (panels_.count(copy) == 0)
        node->src[0] = copy;
    else if (hasContiguousRows(node->src[1]))
        makeBf16PanelProduct(node, copy, node->src[1]);
    else
        return false;
    return true;
}

bool FrozenWeightCopies::rewriteBackward(ggml_tensor* node) {
    // OUT_PROD(W [n, m], transpose(dY [m, p])) → [n, p]: the input gradient through W
    ggml_tensor* weight = node->src[0];
    ggml_tensor* transposedGrad = node->src[1];
    if (!isFrozenWeight(weight) || transposedGrad == nullptr || transposedGrad->op != GGML_OP_TRANSPOSE)
        return false;
    ggml_tensor* grad = transposedGrad->src[0];
    if (grad == nullptr || grad->type != GGML_TYPE_F32 || !ggml_is_contiguous(grad) || grad->ne[0] != weight->ne[1] ||
        grad->ne[2] != 1 || grad->ne[3] != 1 || node->ne[0] != weight->ne[0] || node->ne[1] != grad->ne[1] ||
        node->ne[2] != 1 || node->ne[3] != 1)
        return false;
    ggml_tensor* transposed = getCopy(weight, true);
    if (transposed == nullptr) {
        ++nodesSkipped_;
        return false;
    }
    // MUL_MAT(a [k, n], b [k, p]) = aᵀ·b [n, p] with k = m: the same numbers as the outer product, summed in
    // another order. MUL_MAT has no op params; the node keeps its buffer, shape and place in the graph.
    if (panels_.count(transposed) != 0) {
        makeBf16PanelProduct(node, transposed, grad);
    } else {
        node->op = GGML_OP_MUL_MAT;
        node->src[0] = transposed;
        node->src[1] = grad;
        std::memset(node->op_params, 0, sizeof(node->op_params));
    }
    ++nodesRewritten_;
    return true;
}

ggml_tensor* FrozenWeightCopies::getCopy(const ggml_tensor* weight, bool transpose) {
    auto& copies = transpose ? transposed_ : forward_;
    if (const auto found = copies.find(weight); found != copies.end())
        return found->second;
    const size_t bytes = size_t(ggml_nelements(weight)) * ggml_type_size(copyType_);
    const bool convertible = weight->type == GGML_TYPE_F32 || ggml_get_type_traits(weight->type)->to_float != nullptr;
    if (cpuBufferType_ == nullptr || !convertible || bytesUsed_ + bytes > budgetBytes_) {
        copies.emplace(weight, nullptr);
        return nullptr;
    }
    ggml_init_params params{ggml_tensor_overhead(), nullptr, /*no_alloc =*/true};
    ggml_context* ctx = ggml_init(params);
    ggml_tensor* copy = transpose ? ggml_new_tensor_2d(ctx, copyType_, weight->ne[1], weight->ne[0])
                                  : ggml_new_tensor_2d(ctx, copyType_, weight->ne[0], weight->ne[1]);
    ggml_backend_buffer_t buffer = ggml_backend_buft_alloc_buffer(cpuBufferType_, ggml_nbytes(copy));
    if (buffer == nullptr) {
        ggml_free(ctx);
        copies.emplace(weight, nullptr);
        return nullptr;
    }
    contexts_.push_back(ctx);
    buffers_.push_back(buffer);
    ggml_backend_tensor_alloc(buffer, copy, ggml_backend_buffer_get_base(buffer));
    if (panelsAllowed_ && fitsBf16Panels(copy->ne[0], copy->ne[1])) {
        writePanels(weight, transpose, copy);
        panels_.insert(copy);
    } else {
        writeCopy(weight, transpose, copy);
    }
    bytesUsed_ += bytes;
    ++(transpose ? weightsCached_ : forwardCopies_);
    copies.emplace(weight, copy);
    return copy;
}

