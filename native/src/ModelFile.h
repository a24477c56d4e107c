// What the trainer needs to know about a GGUF file before llama.cpp loads it: that it is a GGUF
// model at all, its architecture and its tensors' names, types and shapes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct ModelTensorInfo {
    std::string name;
    int type = 0; // enum ggml_type
    int64_t ne[4] = {1, 1, 1, 1};
    int nDims = 1;
};

struct ModelFile {
    std::string architecture;
    std::vector<ModelTensorInfo> tensors;

    const ModelTensorInfo* findTensor(const std::string& name) const;
    // The first weight matrix that is not F32, which a GPU backend cannot back-propagate through; nullptr if none.
    // The input embedding is skipped when a separate output matrix exists: then it is only looked up.
    const ModelTensorInfo* findNonF32Weight() const;
};

// Throws TrainerError: MODEL_NOT_FOUND, MODEL_INVALID (not GGUF, damaged, or an adapter).
ModelFile readModelFile(const std::string& path);
