// Where a training step's time goes, node by node: CONPET_TRAIN_PROFILE=<file.json> makes the trainer compute
// every graph node on its own, time it, and write the totals per kind of node (op, operand types and shapes)
// to that file at the end, largest first. Computing nodes one at a time adds a synchronisation per node, so
// the run is slower than an unprofiled one; the shares are what it is for (native/README.md uses them).
#pragma once

#include <chrono>
#include <cstdint>
#include <ggml-backend.h>
#include <map>
#include <string>

class GraphProfiler {
public:
    // `next`: the callback that would otherwise be installed (asked first for every node, so its rewrites are
    // what gets timed), with its user data.
    GraphProfiler(ggml_backend_sched_eval_callback next, void* nextData);

    // For llama_context_params::cb_eval (user data: this object).
    static bool onGraphNode(ggml_tensor* node, bool ask, void* self);

    // Writes [{node, calls, seconds, share}] sorted by seconds. Throws TrainerError(NOT_WRITABLE).
    void write(const std::string& path) const;

private:
    struct Total {
        int64_t calls = 0;
        double seconds = 0;
    };
    ggml_backend_sched_eval_callback next_;
    void* nextData_;
    std::chrono::steady_clock::time_point started_;
    std::map<std::string, Total> totals_;
};
