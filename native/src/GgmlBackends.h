// Loads ggml's backends: the CPU variants (and any GPU backend) next to the executable, then, when
// that gave no GPU, node-llama-cpp's prebuilt GPU backends from its optional platform packages
// (@node-llama-cpp/<platform>-cuda, -cuda-ext, -vulkan), which npm installs beside the extension.
// They are built from the same llama.cpp release against the same libggml-base.so, so the trainer
// can use them as they are: a GPU without a CUDA toolkit or a source build.
#pragma once

#include <string>
#include <vector>

// Returns the GPU backend libraries it loaded. Folders searched, in order: $CONPET_GGML_BACKEND_DIRS
// (':'-separated, ';' on Windows; the extension and the CLI point it at the backend "Enable GPU
// Acceleration" installed), then the node-llama-cpp packages under <package root>/node_modules, where
// the package root is the folder holding native/build/bin/conpet-train.
std::vector<std::string> loadGgmlBackends();

// Whether the CPU backend ggml loaded (the best variant for this CPU) computes BF16 dot products natively
// (AVX512-BF16).
bool cpuHasNativeBf16();
