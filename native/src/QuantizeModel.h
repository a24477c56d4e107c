// `conpet-train quantize`: writes a quantized copy of a GGUF model with llama.cpp's own quantizer
// (llama_model_quantize, as `llama-quantize` does), so benchmarks and accuracy checks can compare
// training over the same model in F32 and in the types the curated models ship in.
#pragma once

#include <cstdint>
#include <llama.h>
#include <string>
#include <vector>

// Writes `in` as `out` in `ftype` with llama.cpp's converter (the input may itself be quantized: to F32 that
// dequantizes it). Returns llama_model_quantize's code, 0 on success.
uint32_t convertModelFile(const std::string& in, const std::string& out, llama_ftype ftype, int threads);

// Parses `--in FILE --out FILE --type q8_0|q4_0|q4_k_m|q5_k_m|q6_k|f16|f32 [--threads N]` and writes the model.
// Throws TrainerError(INVALID_INPUT) on bad arguments, (INTERNAL) when llama.cpp fails.
void runQuantizeModel(const std::vector<std::string>& args);
