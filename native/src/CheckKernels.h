// `conpet-train check-kernels`: computes the products the trainer runs on its own kernels both ways, with
// ggml's CPU kernels and with the trainer's, on random operands shaped like training's, at 1 and 2 threads:
// ActivationProducts (the attention's products with grouped-query broadcasting and transposed operands,
// LoRA's rank-sized ones, sizes that leave partial tiles) and, where the CPU has AVX512-BF16, the BF16 panel
// product over a weight and over its transpose (Bf16Panels). Writes one JSON line per case and a summary line;
// throws TrainerError(INTERNAL) when a result differs by more than float rounding.
#pragma once

void runCheckKernels();
