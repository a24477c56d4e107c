#include "CheckKernels.h"

#include "ActivationProducts.h"
#include "Bf16Panels.h"
#include "GgmlBackends.h"
#include "EventWriter.h"
#include "TrainerError.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <ggml-alloc.h>
#include <ggml-backend.h>
#include <random>
#include <string>
#include <vector>

namespace {

struct Case {
    std::string name;
    ggml_op op;
    // ne of the two operands (MUL_MAT: x, y; OUT_PROD: a, b), and whether the second is given as the
    // transpose of a tensor of the swapped shape (a non-contiguous view, as the backward pass makes them)
    int64_t first[3];
    int64_t second[3];
    bool secondTransposed;
};

// Fills an F32 tensor with values uniform in [-1, 1).
void setRandom(ggml_tensor* t, std::mt19937& rng) {
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> values(size_t(ggml_nelements(t)));
    for (auto& v : values)
        v = uniform(rng);
    ggml_backend_tensor_set(t, values.data(), 0, ggml_nbytes(t));
}

// Allocates `ctx`'s tensors on the CPU, lets `prepare` fill them and turn `ours` into the trainer's kernel,
// computes `reference` and `ours` with `threads` threads, frees `ctx`, and returns the largest
// |ours - reference| over the largest |reference|.
double computeBoth(ggml_context* ctx, ggml_tensor* reference, ggml_tensor* ours, int threads, const std::function<void()>& prepare) {
    ggml_cgraph* graph = ggml_new_graph(ctx);
    ggml_build_forward_expand(graph, reference);
    ggml_build_forward_expand(graph, ours);
    ggml_backend_t cpu = ggml_backend_init_by_type(GGML_BACKEND_DEVICE_TYPE_CPU, nullptr);
    ggml_backend_buffer_t buffer = ggml_backend_alloc_ctx_tensors(ctx, cpu);
    prepare();
    // the CPU backend is loaded at run time: its thread setter is found through its registry
    ggml_backend_reg_t reg = ggml_backend_dev_backend_reg(ggml_backend_get_device(cpu));
    if (auto setThreads = reinterpret_cast<ggml_backend_set_n_threads_t>(ggml_backend_reg_get_proc_address(reg, "ggml_backend_set_n_threads")))
        setThreads(cpu, threads);
    ggml_backend_graph_compute(cpu, graph);
    std::vector<float> expected(size_t(ggml_nelements(reference)));
    std::vector<float> actual(expected.size());
    ggml_backend_tensor_get(reference, expected.data(), 0, ggml_nbytes(reference));
    ggml_backend_tensor_get(ours, actual.data(), 0, ggml_nbytes(ours));
    ggml_backend_buffer_free(buffer);
    ggml_backend_free(cpu);
    ggml_free(ctx);
    double largest = 0;
    double error = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
        largest = std::max(largest, double(std::fabs(expected[i])));
        error = std::max(error, double(std::fabs(actual[i] - expected[i])));
    }
    return error / std::max(largest, 1e-30);
}

ggml_context* createContext() {
    ggml_init_params params{ggml_tensor_overhead() * 16 + ggml_graph_overhead(), nullptr, /*no_alloc =*/true};
    return ggml_init(params);
}

// An activation product (ActivationProducts) against ggml's kernel: a few float roundings of sums of K products.
double compare(const Case& c, int threads, std::mt19937& rng) {
    ggml_context* ctx = createContext();
    ggml_tensor* first = ggml_new_tensor_3d(ctx, GGML_TYPE_F32, c.first[0], c.first[1], c.first[2]);
    ggml_tensor* stored = c.secondTransposed ? ggml_new_tensor_3d(ctx, GGML_TYPE_F32, c.second[1], c.second[0], c.second[2])
                                             : ggml_new_tensor_3d(ctx, GGML_TYPE_F32, c.second[0], c.second[1], c.second[2]);
    ggml_tensor* second = c.secondTransposed ? ggml_transpose(ctx, stored) : stored;
    const auto product = [&] { return c.op == GGML_OP_OUT_PROD ? ggml_out_prod(ctx, first, second) : ggml_mul_mat(ctx, first, second); };
    ggml_tensor* reference = product();
    ggml_tensor* ours = product();
    bool rewritten = false;
    const double error = computeBoth(ctx, reference, ours, threads, [&] {
        setRandom(first, rng);
        setRandom(stored, rng);
        rewritten = ActivationProducts().rewrite(ours);
    });
    if (!rewritten)
        throw TrainerError("INTERNAL", "check-kernels: " + c.name + " was not taken by the trainer's kernel");
    return error;
}

// The BF16 panel product (Bf16Panels.h) against ggml's MUL_MAT over the same BF16 matrix: A = W (`transposed`
// false) or Wᵀ, W random [K, N] (or [N, K]) in BF16, x random F32 [K, M]. Both round x to BF16 the same way
// and sum in F32, in another order.
double comparePanels(int64_t k, int64_t n, int64_t m, bool transposed, int threads, std::mt19937& rng) {
    ggml_context* ctx = createContext();
    ggml_tensor* a = ggml_new_tensor_2d(ctx, GGML_TYPE_BF16, k, n);
    ggml_tensor* panels = ggml_new_tensor_2d(ctx, GGML_TYPE_BF16, k, n);
    ggml_tensor* x = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, k, m);
    ggml_tensor* reference = ggml_mul_mat(ctx, a, x);
    ggml_tensor* ours = ggml_mul_mat(ctx, a, x);
    return computeBoth(ctx, reference, ours, threads, [&] {
        // W's rows: A's rows, or A's columns
        const int64_t wRowLength = transposed ? n : k;
        const int64_t wRows = transposed ? k : n;
        std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
        std::vector<ggml_bf16_t> aValues(size_t(k * n));
        std::vector<ggml_bf16_t> panelValues(size_t(k * n));
        std::vector<float> row(static_cast<size_t>(wRowLength));
        for (int64_t j = 0; j < wRows; ++j) {
            for (auto& v : row)
                v = ggml_bf16_to_fp32(ggml_fp32_to_bf16(uniform(rng)));
            for (int64_t i = 0; i < wRowLength; ++i)
                aValues[size_t(transposed ? i * k + j : j * k + i)] = ggml_fp32_to_bf16(row[size_t(i)]);
            packBf16PanelRow(row.data(), j, transposed, k, n, panelValues.data());
        }
        ggml_backend_tensor_set(a, aValues.data(), 0, ggml_nbytes(a));
        ggml_backend_tensor_set(panels, panelValues.data(), 0, ggml_nbytes(panels));
        setRandom(x, rng);
        makeBf16PanelProduct(ours, panels, x);
    });
}

} // namespace

void runCheckKernels() {
    ggml_backend_load_all();
    // MUL_MAT(x [K, N], y [K, M]) and OUT_PROD(a [N, K], b [M, K]); the first operand broadcast 6 → 18 like
    // grouped-query attention's K and V heads
    const std::vector<Case> cases{
        {"attention K·Q (MUL_MAT, head size 64, broadcast)", GGML_OP_MUL_MAT, {64, 256, 6}, {64, 256, 18}, false},
        {"attention V·softmax (MUL_MAT, inner 256, broadcast)", GGML_OP_MUL_MAT, {256, 64, 6}, {256, 256, 18}, false},
        {"LoRA B·(A·x) (MUL_MAT, rank 8)", GGML_OP_MUL_MAT, {8, 576, 1}, {8, 512, 1}, false},
        {"partial tiles (MUL_MAT, 45 × 37)", GGML_OP_MUL_MAT, {24, 45, 2}, {24, 37, 4}, false},
        {"attention dV (OUT_PROD)", GGML_OP_OUT_PROD, {256, 256, 18}, {64, 256, 18}, false},
        {"attention dQ (OUT_PROD, transposed gradient, broadcast)", GGML_OP_OUT_PROD, {64, 256, 6}, {256, 256, 18}, true},
        {"LoRA dA (OUT_PROD)", GGML_OP_OUT_PROD, {576, 512, 1}, {8, 512, 1}, false},
        {"partial tiles (OUT_PROD, 70 × 13, transposed)", GGML_OP_OUT_PROD, {70, 33, 3}, {13, 33, 3}, true},
        {"LoRA, result rank-wide (OUT_PROD [8, 576])", GGML_OP_OUT_PROD, {8, 512, 1}, {576, 512, 1}, false},
        {"LoRA, result rank-wide (OUT_PROD [8, 512], transposed)", GGML_OP_OUT_PROD, {8, 576, 1}, {512, 576, 1}, true},
    };
    std::mt19937 rng(7);
    double worst = 0;
    int checked = 0;
    const auto report = [&](const std::string& name, int threads, double error, double tolerance) {
        worst = std::max(worst, error);
        ++checked;
        writeEvent({{"type", "kernel"}, {"case", name}, {"threads", threads}, {"relativeError", error}});
        if (!(error <= tolerance))
            throw TrainerError("INTERNAL", "check-kernels: " + name + " at " + std::to_string(threads) +
                                               " threads differs from ggml's by " + std::to_string(error));
    };
    for (const auto& c : cases)
        for (const int threads : {1, 2})
            report(c.name, threads, compare(c, threads, rng), 1e-5);
    // the BF16 panel product, where this CPU runs it: A = W or Wᵀ, K × N, M rows of x (M not a whole tile)
    if (bf16PanelsBuilt() && cpuHasNativeBf16()) {
        struct PanelCase {
            std::string name;
            int64_t k, n, m;
            bool transposed;
        };
        const std::vector<PanelCase> panelCases{{"BF16 panels: FFN up (W)", 576, 1536, 512, false},
                                                {"BF16 panels: FFN down, backward (Wᵀ)", 1536, 576, 512, true},
                                                {"BF16 panels: LM head rows (W, 37 rows)", 576, 4096, 37, false}};
        for (const auto& c : panelCases)
            for (const int threads : {1, 2})
                // both sum the same BF16 products in F32, in another order
                report(c.name, threads, comparePanels(c.k, c.n, c.m, c.transposed, threads, rng), 1e-4);
    }
    writeEvent({{"type", "kernels"}, {"cases", checked}, {"worstRelativeError", worst}});
}
