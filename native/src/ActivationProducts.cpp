#include "ActivationProducts.h"

#include "CustomOp.h"

#include <ggml-backend.h>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <vector>

#if defined(__GNUC__)

namespace {

// 16 floats: one AVX-512 register, two AVX2 ones. `aligned(4)`: loads and stores at any float address.
typedef float Vector __attribute__((vector_size(64), aligned(4)));
constexpr int64_t lanes = 16;
// A tile of the result kept in registers: rows × (vectors × 16) columns.
constexpr int64_t tileRows = 6;
constexpr int64_t tileVectors = 2;

#if defined(__x86_64__) && defined(__linux__)
// one build per instruction set, picked by the loader (ifunc); FMA comes with x86-64-v3
#define CONPET_MULTIVERSIONED __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CONPET_MULTIVERSIONED
#endif

// A product dst(m, n) = Σ_k a(k, n) · b(k, m) over one slice, every operand addressed by its own strides (in
// floats): a(k, n) = a[k * ak + n * an], b(k, m) = b[k * bk + m * bm], dst(m, n) = dst[m * dm + n * dn].
struct Product {
    int64_t n, k;
    const float* a;
    int64_t ak, an;
    const float* b;
    int64_t bk, bm;
    float* dst;
    int64_t dm, dn;
};

// One tile: rows × (tileVectors × 16) results starting at row m0 and column n0, over a panel of the tile's
// columns of `a` (K rows of tileColumns floats, contiguous).
template <int64_t rows>
__attribute__((always_inline)) inline void multiplyTile(const Product& p, const float* panel, int64_t m0, int64_t n0) {
    Vector sums[rows][tileVectors] = {};
    for (int64_t k = 0; k < p.k; ++k) {
        Vector a[tileVectors];
        for (int64_t v = 0; v < tileVectors; ++v)
            a[v] = *reinterpret_cast<const Vector*>(panel + (k * tileVectors + v) * lanes);
        const float* bColumn = p.b + k * p.bk + m0 * p.bm;
        for (int64_t r = 0; r < rows; ++r) {
            const Vector b = Vector{} + bColumn[r * p.bm];
            for (int64_t v = 0; v < tileVectors; ++v)
                sums[r][v] += b * a[v];
        }
    }
    for (int64_t r = 0; r < rows; ++r) {
        float* out = p.dst + (m0 + r) * p.dm + n0 * p.dn;
        for (int64_t v = 0; v < tileVectors; ++v) {
            if (p.dn == 1) {
                *reinterpret_cast<Vector*>(out + v * lanes) = sums[r][v];
            } else {
                for (int64_t lane = 0; lane < lanes; ++lane)
                    out[(v * lanes + lane) * p.dn] = sums[r][v][lane];
            }
        }
    }
}

// Rows [m0, m1) of the slice's result. The tile's columns of `a` are copied into a contiguous panel first:
// rows of `a` a power of two apart map to the same few L1 sets, and a tile walking them missed L1 on every load
// (and a strided `a` is gathered once instead of once per row of the result).
CONPET_MULTIVERSIONED void multiplyRows(const Product& p, int64_t m0, int64_t m1) {
    constexpr int64_t tileColumns = tileVectors * lanes;
    const int64_t vectorColumns = p.n / tileColumns * tileColumns;
    thread_local std::vector<float> panel;
    growScratch(panel, size_t(p.k * tileColumns));
    for (int64_t n = 0; n < vectorColumns; n += tileColumns) {
        for (int64_t k = 0; k < p.k; ++k) {
            float* to = panel.data() + k * tileColumns;
            const float* from = p.a + k * p.ak + n * p.an;
            if (p.an == 1)
                std::memcpy(to, from, tileColumns * sizeof(float));
            else
                for (int64_t c = 0; c < tileColumns; ++c)
                    to[c] = from[c * p.an];
        }
        for (int64_t m = m0; m < m1; m += tileRows) {
            switch (std::min(tileRows, m1 - m)) {
            case 6: multiplyTile<6>(p, panel.data(), m, n); break;
            case 5: multiplyTile<5>(p, panel.data(), m, n); break;
            case 4: multiplyTile<4>(p, panel.data(), m, n); break;
            case 3: multiplyTile<3>(p, panel.data(), m, n); break;
            case 2: multiplyTile<2>(p, panel.data(), m, n); break;
            default: multiplyTile<1>(p, panel.data(), m, n); break;
            }
        }
    }
    for (int64_t m = m0; m < m1; ++m)
        for (int64_t n = vectorColumns; n < p.n; ++n) {
            float sum = 0;
            for (int64_t k = 0; k < p.k; ++k)
                sum += p.a[k * p.ak + n * p.an] * p.b[k * p.bk + m * p.bm];
            p.dst[m * p.dm + n * p.dn] = sum;
        }
}

constexpr int64_t floatsIn(size_t bytes) {
    return int64_t(bytes / sizeof(float));
}

// Splits slices × row blocks evenly over the threads; calls work(slice index i2, i3, m0, m1) for this thread's.
template <typename Work>
void forThreadShare(const ggml_tensor* dst, int64_t m, int ith, int nth, Work work) {
    const int64_t blocks = (m + tileRows - 1) / tileRows;
    const int64_t total = blocks * dst->ne[2] * dst->ne[3];
    const int64_t first = total * ith / nth;
    const int64_t last = total * (ith + 1) / nth;
    for (int64_t item = first; item < last;) {
        const int64_t slice = item / blocks;
        const int64_t blockEnd = std::min(last, (slice + 1) * blocks);
        const int64_t m0 = (item - slice * blocks) * tileRows;
        const int64_t m1 = std::min(m, (blockEnd - slice * blocks) * tileRows);
        work(slice % dst->ne[2], slice / dst->ne[2], m0, m1);
        item = blockEnd;
    }
}

// OUT_PROD(a [N, K], b [M, K]) = [N, M]: dst[m][n] = Σ_k a[k][n] · b[k][m]; a broadcast over dims 2 and 3. A
// result narrower than a tile (N < 32, LoRA's rank: dA and the gradient through B) is computed as its
// transpose, dst[m][n] = Σ_k b[k][m] · a[k][n], with the roles of a and b swapped and the result stored across.
void computeOutProduct(ggml_tensor* dst, int ith, int nth, void*) {
    const ggml_tensor* a = dst->src[0];
    const ggml_tensor* b = dst->src[1];
    const bool swapped = dst->ne[0] < tileVectors * lanes;
    forThreadShare(dst, swapped ? dst->ne[0] : dst->ne[1], ith, nth, [&](int64_t i2, int64_t i3, int64_t m0, int64_t m1) {
        const auto* aSlice = reinterpret_cast<const float*>(static_cast<const char*>(a->data) + (i2 / (dst->ne[2] / a->ne[2])) * a->nb[2] +
                                                            (i3 / (dst->ne[3] / a->ne[3])) * a->nb[3]);
        const auto* bSlice = reinterpret_cast<const float*>(static_cast<const char*>(b->data) + i2 * b->nb[2] + i3 * b->nb[3]);
        float* out = reinterpret_cast<float*>(static_cast<char*>(dst->data) + i2 * dst->nb[2] + i3 * dst->nb[3]);
        const int64_t k = a->ne[1];
        const Product p = swapped ? Product{dst->ne[1], k, bSlice, floatsIn(b->nb[1]), floatsIn(b->nb[0]), aSlice,
                                            floatsIn(a->nb[1]), 1, out, 1, floatsIn(dst->nb[1])}
                                  : Product{dst->ne[0], k, aSlice, floatsIn(a->nb[1]), 1, bSlice, floatsIn(b->nb[1]),
                                            floatsIn(b->nb[0]), out, floatsIn(dst->nb[1]), 1};
        multiplyRows(p, m0, m1);
    });
}

// MUL_MAT(x [K, N], y [K, M]) = [N, M]: dst[m][n] = Σ_k x[n][k] · y[m][k]; x broadcast over dims 2 and 3. The
// kernel wants x's transpose, K rows of N: each thread makes it, once per slice it works on.
void computeMatMul(ggml_tensor* dst, int ith, int nth, void*) {
    const ggml_tensor* x = dst->src[0];
    const ggml_tensor* y = dst->src[1];
    thread_local std::vector<float> transposed;
    const char* transposedFrom = nullptr;
    const int64_t n = x->ne[1];
    const int64_t k = x->ne[0];
    forThreadShare(dst, dst->ne[1], ith, nth, [&](int64_t i2, int64_t i3, int64_t m0, int64_t m1) {
        const char* xSlice = static_cast<const char*>(x->data) + (i2 / (y->ne[2] / x->ne[2])) * x->nb[2] +
                             (i3 / (y->ne[3] / x->ne[3])) * x->nb[3];
        if (xSlice != transposedFrom) {
            growScratch(transposed, size_t(n * k));
            for (int64_t row = 0; row < n; ++row) {
                const float* from = reinterpret_cast<const float*>(xSlice + row * x->nb[1]);
                for (int64_t i = 0; i < k; ++i)
                    transposed[size_t(i * n + row)] = from[i];
            }
            transposedFrom = xSlice;
        }
        const char* ySlice = static_cast<const char*>(y->data) + i2 * y->nb[2] + i3 * y->nb[3];
        const Product p{n, k, transposed.data(), n, 1, reinterpret_cast<const float*>(ySlice), 1, floatsIn(y->nb[1]),
                        reinterpret_cast<float*>(static_cast<char*>(dst->data) + i2 * dst->nb[2] + i3 * dst->nb[3]),
                        floatsIn(dst->nb[1]), 1};
        multiplyRows(p, m0, m1);
    });
}

bool isF32(const ggml_tensor* t) {
    return t != nullptr && t->type == GGML_TYPE_F32;
}

} // namespace

bool ActivationProducts::rewrite(ggml_tensor* node) {
    if (!isF32(node) || !ggml_is_contiguous(node) || !isF32(node->src[0]) || !isF32(node->src[1]) ||
        node->src[0]->nb[0] != sizeof(float))
        return false;
    // only nodes the CPU computes (a GPU backend has no custom ops), over operands in host memory
    for (const ggml_tensor* t : std::initializer_list<const ggml_tensor*>{node, node->src[0], node->src[1]})
        if (t->buffer == nullptr || !ggml_backend_buffer_is_host(t->buffer))
            return false;
    const ggml_tensor* src1 = node->src[1];
    if (node->op == GGML_OP_OUT_PROD) {
        // a result at least one tile wide, or its transpose (an OUT_PROD through a frozen weight was already
        // rewritten to a MUL_MAT)
        if (node->ne[0] < tileVectors * lanes && node->ne[1] < tileVectors * lanes)
            return false;
        static const CustomOpParams outProduct = makeCustomOpParams(computeOutProduct);
        setCustomOp(node, outProduct);
    } else if (node->op == GGML_OP_MUL_MAT) {
        // an inner dimension too short for tinyBLAS (attention heads, LoRA ranks), over contiguous rows of y
        if (node->src[0]->ne[0] > 256 || src1->nb[0] != sizeof(float) || node->ne[0] < tileVectors * lanes)
            return false;
        static const CustomOpParams matMul = makeCustomOpParams(computeMatMul);
        setCustomOp(node, matMul);
    } else {
        return false;
    }
    ++nodesRewritten_;
    return true;
}

#else

bool ActivationProducts::rewrite(ggml_tensor*) {
    return false; // the kernel needs GCC/Clang vector extensions; MSVC builds keep ggml's kernels
}

#endif
