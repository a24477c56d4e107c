// Matrix products between activations that ggml's CPU kernels compute slowly, computed by the trainer's own
// kernel instead.
//
// The attention's backward pass is four OUT_PRODs per layer over activations (no frozen weight, so no cached
// copy helps), which ggml runs as rank-1 updates at a fraction of its matmul speed; the LoRA gradients are
// OUT_PRODs too. The attention's K·Q product and LoRA's B·(A·x) are MUL_MATs whose inner dimension (the head
// size, the LoRA rank) is too short for ggml's tinyBLAS, which falls back to one dot product per output. All of
// them are the same blocked product here: each thread keeps a tile of the result in vector registers while it
// walks the inner dimension (GCC/Clang vector extensions, built for AVX-512, AVX2 and the baseline on x86-64
// Linux and picked at run time). The eval callback turns such a node into a GGML_OP_CUSTOM node that runs it,
// with the node's operands, shape and buffer unchanged.
#pragma once

#include <cstdint>
#include <ggml.h>

class ActivationProducts {
public:
    // Rewrites `node` when it is one of those products (and the kernel is built for this compiler); returns
    // whether it did.
    bool rewrite(ggml_tensor* node);

    int64_t nodesRewritten() const { return nodesRewritten_; }

private:
    int64_t nodesRewritten_ = 0;
};
