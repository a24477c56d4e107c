// The trainer's eval callback (llama_context_params::cb_eval, called for every graph node before it is
// computed): offers each node to the frozen-weight copies first (a frozen weight's MUL_MAT reads its copy, an
// OUT_PROD through it becomes a MUL_MAT over its transpose), then to the activation products (what is left of
// the slow products runs on the trainer's kernel). It never asks to see a node's data, so the scheduler
// computes the graph in one piece.
#pragma once

#include "ActivationProducts.h"
#include "FrozenWeightCopies.h"

struct GraphRewrites {
    FrozenWeightCopies& copies;
    // nullptr: ggml's own kernels for every product (CONPET_TRAIN_ACTIVATION_PRODUCTS=0)
    ActivationProducts* products;

    static bool onGraphNode(ggml_tensor* node, bool ask, void* self) {
        auto* me = static_cast<GraphRewrites*>(self);
        if (ask && !me->copies.rewrite(node) && me->products != nullptr)
            me->products->rewrite(node);
        return false;
    }
};
