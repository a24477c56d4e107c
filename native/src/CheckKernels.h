// `conpet-train check-kernels`: computes the products the trainer runs on its own kernel (ActivationProducts)
// both ways, with ggml's CPU kernels and with the trainer's, on random operands shaped like training's (the
// attention's products with grouped-query broadcasting and transposed operands, LoRA's rank-sized ones, and
// sizes that leave partial tiles), at 1 and 2 threads. Writes one JSON line per case and a summary line;
// throws TrainerError(INTERNAL) when a result differs by more than float rounding.
#pragma once

void runCheckKernels();
