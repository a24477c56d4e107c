// `conpet-train make-model`: writes a random-weight llama GGUF of a given shape (with a byte-fallback
// SentencePiece-style vocabulary), for throughput benchmarks at realistic sizes without downloads.
#pragma once

#include <string>
#include <vector>

// Parses `--layers N --embd N --heads N --kv-heads N --ff N --vocab N --out FILE [--type f32|f16|q8_0]
// [--seed N] [--ctx N]` and writes the model. Throws TrainerError(INVALID_INPUT) on bad arguments.
void runMakeModel(const std::vector<std::string>& args);
