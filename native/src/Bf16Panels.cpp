#include "Bf16Panels.h"

#include "CustomOp.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace {

constexpr int64_t panelRows = 32; // rows of A per panel: two registers of 16 lanes
constexpr int64_t tileRows = 12;  // rows of x per tile: 12 × 2 accumulators

// Round to nearest even, as ggml converts (a NaN stays a quiet NaN).
ggml_bf16_t toBf16(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    if ((bits & 0x7fffffff) > 0x7f800000)
        return ggml_bf16_t{uint16_t((bits >> 16) | 64)};
    return ggml_bf16_t{uint16_t((bits + (0x7fff + ((bits >> 16) & 1))) >> 16)};
}

} // namespace

bool fitsBf16Panels(int64_t k, int64_t n) {
    return n % panelRows == 0 && k % 2 == 0;
}

void packBf16PanelRow(const float* values, int64_t row, bool transposed, int64_t k, int64_t n, ggml_bf16_t* panels) {
    // A[r][c] lives at panel r / 32, pair c / 2, lane r % 32, half c % 2
    const auto at = [k](int64_t r, int64_t c) { return (r / panelRows) * k * panelRows + (c / 2) * 2 * panelRows + (r % panelRows) * 2 + c % 2; };
    if (!transposed) {
        for (int64_t c = 0; c < k; ++c)
            panels[at(row, c)] = toBf16(values[c]);
    } else {
        for (int64_t r = 0; r < n; ++r)
            panels[at(r, row)] = toBf16(values[r]);
    }
}

#if defined(__GNUC__) && defined(__x86_64__)

#include <immintrin.h>

namespace {

// rows × 32 results: x's rows [m, m + rows) (as BF16 pairs, `pairs` per row) times one panel.
template <int rows>
__attribute__((target("avx512f,avx512bf16"), always_inline)) inline void multiplyTile(const ggml_bf16_t* panel, const uint32_t* x,
                                                                                        int64_t pairs, float* dst, int64_t ldd) {
    __m512 sums[rows][2];
    for (int r = 0; r < rows; ++r)
        sums[r][0] = sums[r][1] = _mm512_setzero_ps();
    for (int64_t p = 0; p < pairs; ++p) {
        const __m512bh a0 = (__m512bh)_mm512_loadu_si512(panel + p * 2 * panelRows);
        const __m512bh a1 = (__m512bh)_mm512_loadu_si512(panel + p * 2 * panelRows + panelRows);
        for (int r = 0; r < rows; ++r) {
            const __m512bh b = (__m512bh)_mm512_set1_epi32(int(x[r * pairs + p]));
            sums[r][0] = _mm512_dpbf16_ps(sums[r][0], a0, b);
            sums[r][1] = _mm512_dpbf16_ps(sums[r][1], a1, b);
        }
    }
    for (int r = 0; r < rows; ++r) {
        _mm512_storeu_ps(dst + r * ldd, sums[r][0]);
        _mm512_storeu_ps(dst + r * ldd + 16, sums[r][1]);
    }
}

// This thread's rows of dst = A·x: its rows of x converted to BF16 once, then panel by panel, tile by tile.
__attribute__((target("avx512f,avx512bf16"))) void computePanelProduct(ggml_tensor* dst, int ith, int nth, void*) {
    const ggml_tensor* panels = dst->src[0];
    const ggml_tensor* x = dst->src[1];
    const int64_t k = panels->ne[0];
    const int64_t n = panels->ne[1];
    const int64_t m = x->ne[1];
    const int64_t m0 = m * ith / nth;
    const int64_t m1 = m * (ith + 1) / nth;
    if (m0 >= m1)
        return;
    thread_local std::vector<ggml_bf16_t> converted;
    growScratch(converted, size_t((m1 - m0) * k));
    for (int64_t row = m0; row < m1; ++row) {
        const float* from = reinterpret_cast<const float*>(static_cast<const char*>(x->data) + row * x->nb[1]);
        ggml_bf16_t* to = converted.data() + (row - m0) * k;
        int64_t c = 0;
        for (; c + 32 <= k; c += 32)
            _mm512_storeu_si512(to + c, (__m512i)_mm512_cvtne2ps_pbh(_mm512_loadu_ps(from + c + 16), _mm512_loadu_ps(from + c)));
        for (; c < k; ++c)
            to[c] = toBf16(from[c]);
    }
    const int64_t pairs = k / 2;
    const uint32_t* xPairs = reinterpret_cast<const uint32_t*>(converted.data());
    const int64_t ldd = dst->nb[1] / int64_t(sizeof(float));
    // Panels in groups that stay in L2 (about 512 KB) while every tile of this thread's rows passes over the
    // group: a tile's 12 output rows are a row of the result apart, and over a wide result (the LM head's 49,152
    // columns, 192 KB a row) visiting one panel per row of tiles touched 12 new pages per tile.
    const int64_t panelCount = n / panelRows;
    const int64_t groupPanels = std::max<int64_t>(1, (int64_t(512) << 10) / (k * panelRows * int64_t(sizeof(ggml_bf16_t))));
    for (int64_t group = 0; group < panelCount; group += groupPanels) {
        for (int64_t row = m0; row < m1; row += tileRows) {
            const uint32_t* b = xPairs + (row - m0) * pairs;
            for (int64_t panel = group; panel < std::min(panelCount, group + groupPanels); ++panel) {
                const ggml_bf16_t* a = static_cast<const ggml_bf16_t*>(panels->data) + panel * k * panelRows;
                float* out = static_cast<float*>(dst->data) + row * ldd + panel * panelRows;
                switch (std::min(tileRows, m1 - row)) {
                case 12: multiplyTile<12>(a, b, pairs, out, ldd); break;
                case 11: multiplyTile<11>(a, b, pairs, out, ldd); break;
                case 10: multiplyTile<10>(a, b, pairs, out, ldd); break;
                case 9: multiplyTile<9>(a, b, pairs, out, ldd); break;
                case 8: multiplyTile<8>(a, b, pairs, out, ldd); break;
                case 7: multiplyTile<7>(a, b, pairs, out, ldd); break;
                case 6: multiplyTile<6>(a, b, pairs, out, ldd); break;
                case 5: multiplyTile<5>(a, b, pairs, out, ldd); break;
                case 4: multiplyTile<4>(a, b, pairs, out, ldd); break;
                case 3: multiplyTile<3>(a, b, pairs, out, ldd); break;
                case 2: multiplyTile<2>(a, b, pairs, out, ldd); break;
                default: multiplyTile<1>(a, b, pairs, out, ldd); break;
                }
            }
        }
    }
}

} // namespace

bool bf16PanelsBuilt() {
    return true;
}

void makeBf16PanelProduct(ggml_tensor* node, ggml_tensor* panels, ggml_tensor* x) {
    static const CustomOpParams opParams = makeCustomOpParams(computePanelProduct);
    setCustomOp(node, opParams);
    node->src[0] = panels;
    node->src[1] = x;
    for (int i = 2; i < GGML_MAX_SRC; ++i)
        node->src[i] = nullptr;
}

#else

bool bf16PanelsBuilt() {
    return false;
}

void makeBf16PanelProduct(ggml_tensor*, ggml_tensor*, ggml_tensor*) {}

#endif
