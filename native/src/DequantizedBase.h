// Training on a GPU over a quantized (or F16) base.
//
// GPU backends back-propagate only through F32 weights: their OUT_PROD, the gradient through a frozen
// weight, is F32-only. A base in another type therefore trains on the GPU over an F32 copy of the model,
// written by llama.cpp's own converter (llama_model_quantize to ALL_F32) beside the output and deleted
// after the run. The trained adapter names the same tensors with the same shapes, and is then used with
// the quantized model, as inference runs it.
#pragma once

#include "ModelFile.h"

#include <cstddef>
#include <string>

// The model in F32: the size of its copy on disk and in the device's memory.
size_t getF32ModelBytes(const ModelFile& model);

// Whether `folder` has room for `bytes` and 64 MiB to spare.
bool hasDiskSpace(const std::string& folder, size_t bytes);

// Writes the F32 copy of `modelPath` to `outPath`. Throws TrainerError: DISK_FULL when the write failed for
// lack of space, INTERNAL otherwise.
void writeDequantizedBase(const std::string& modelPath, const std::string& outPath, int threads);
