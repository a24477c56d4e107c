// GGUF LoRA adapters in the layout llama.cpp loads (general.type=adapter, adapter.type=lora,
// adapter.lora.alpha; blk.N.<proj>.weight.lora_a [n_in, r] and .lora_b [r, n_out], F32).
#pragma once

#include "ModelFile.h"

#include <cstdint>
#include <llama.h>
#include <string>
#include <vector>

// Maps a target name (q, k, v, o, gate, up, down) to the llama.cpp tensor infix (attn_q, …).
// Throws INVALID_INPUT for an unknown name.
std::string resolveTargetTensorName(const std::string& target);

// Writes a fresh adapter: A uniform in ±1/sqrt(n_in) (PyTorch's LoRA init), B zero, so the
// untrained adapter leaves the model's output unchanged. Returns the trainable parameter count.
// Throws MODEL_UNSUPPORTED when the model has none of the target projections.
int64_t writeInitialAdapter(const ModelFile& model, const std::vector<std::string>& targets, int rank, float alpha,
                            uint64_t seed, const std::string& path);

// Writes the adapter's current A and B (read back from whatever backend holds them).
void writeTrainedAdapter(const llama_adapter_lora* adapter, const std::string& architecture, float alpha,
                         const std::string& path);

// The adapter.lora.alpha stored in an adapter file (for continuing from it).
float readAdapterAlpha(const llama_adapter_lora* adapter, float fallback);

int64_t countAdapterParameters(const llama_adapter_lora* adapter);
