// BF16 copies of frozen weights stored as panels for the CPU's BF16 dot-product instruction, and the matrix
// product over them.
//
// With AVX512-BF16, VDPBF16PS multiplies 16 pairs of BF16 values and adds each pair's sum to an F32 lane. For
// dst = A·x (A: N rows of K, the weight or its transpose; x: M rows of K activations) the trainer keeps A as
// panels of 32 rows, each panel holding, for every pair of columns (k, k+1), the 32 rows' two values side by
// side: one panel step is two vector loads, and each x value pair is broadcast to all lanes. A tile of 12 rows
// of x × 32 rows of A stays in 24 registers over all of K, and nothing is summed across lanes at the end
// (tinyBLAS's BF16 kernel, which dots along K, sums 24 registers horizontally per tile: measured at about
// two thirds of this kernel's speed on the trainer's shapes). x is converted to BF16 by each thread for its
// own rows, as ggml converts MUL_MAT's second operand. Results are F32.
#pragma once

#include <cstdint>
#include <ggml.h>

// Whether this build has the kernel (GCC/Clang on x86-64); the CPU must also have AVX512-BF16 to run it.
bool bf16PanelsBuilt();

// Whether A with N rows of K values can be stored as panels: N a multiple of 32, K even.
bool fitsBf16Panels(int64_t k, int64_t n);

// Writes the values of one row of the weight W into the panels of A, where A = W (`transposed` false: W's row
// `row` is A's row) or A = Wᵀ (W's row `row` is A's column). `values` holds the row's W.ne[0] values; `k` and
// `n` are A's row length and row count; `panels` has k × n BF16 values.
void packBf16PanelRow(const float* values, int64_t row, bool transposed, int64_t k, int64_t n, ggml_bf16_t* panels);

// Turns `node` (F32 [N, M]) into a GGML_OP_CUSTOM node computing A·x over `panels` (BF16 [K, N], panel layout)
// and `x` (F32 [K, M], rows contiguous).
void makeBf16PanelProduct(ggml_tensor* node, ggml_tensor* panels, ggml_tensor* x);
