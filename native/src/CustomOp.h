// Turning a graph node into a GGML_OP_CUSTOM node that runs the trainer's own kernel: the op parameters are
// laid out by ggml itself (ggml_custom_4d on a scratch context), made once per kernel and copied into each node.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <ggml.h>
#include <vector>

using CustomOpParams = std::array<int32_t, GGML_MAX_OP_PARAMS / sizeof(int32_t)>;

// The parameters of a node running `compute` on every thread.
inline CustomOpParams makeCustomOpParams(ggml_custom_op_t compute) {
    ggml_init_params params{ggml_tensor_overhead(), nullptr, /*no_alloc =*/true};
    ggml_context* ctx = ggml_init(params);
    ggml_tensor* custom = ggml_custom_4d(ctx, GGML_TYPE_F32, 1, 1, 1, 1, nullptr, 0, compute, GGML_N_TASKS_MAX, nullptr);
    CustomOpParams opParams;
    std::memcpy(opParams.data(), custom->op_params, sizeof(opParams));
    ggml_free(ctx);
    return opParams;
}

// Makes `node` run the kernel of `opParams` on its current operands; its shape, buffer and place stay.
inline void setCustomOp(ggml_tensor* node, const CustomOpParams& opParams) {
    std::memcpy(node->op_params, opParams.data(), sizeof(opParams));
    node->op = GGML_OP_CUSTOM;
}

// A kernel's per-thread scratch buffer: grown when too small, never shrunk, so that calls with other sizes do not
// zero it again (resize would value-initialize whatever it adds back).
template <typename T>
void growScratch(std::vector<T>& scratch, size_t size) {
    if (scratch.size() < size)
        scratch.resize(size);
}
