#include "ModelFile.h"

#include "TrainerError.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ggml.h>
#include <gguf.h>

const ModelTensorInfo* ModelFile::findTensor(const std::string& name) const {
    for (const auto& tensor : tensors)
        if (tensor.name == name)
            return &tensor;
    return nullptr;
}

const ModelTensorInfo* ModelFile::findNonF32Weight() const {
    const bool hasOutput = findTensor("output.weight") != nullptr;
    for (const auto& tensor : tensors) {
        if (tensor.nDims < 2 || tensor.type == GGML_TYPE_F32)
            continue;
        if (tensor.name == "token_embd.weight" && hasOutput)
            continue;
        return &tensor;
    }
    return nullptr;
}

ModelFile readModelFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw TrainerError("MODEL_NOT_FOUND", "Model file not found: " + path);
    {
        char magic[4] = {0, 0, 0, 0};
        FILE* f = std::fopen(path.c_str(), "rb");
        if (f == nullptr)
            throw TrainerError("MODEL_NOT_FOUND", "Model file cannot be opened: " + path);
        const size_t n = std::fread(magic, 1, 4, f);
        std::fclose(f);
        if (n != 4 || std::memcmp(magic, "GGUF", 4) != 0)
            throw TrainerError("MODEL_INVALID", "Not a GGUF model file: " + path + ". Pick a .gguf model (llama.cpp format).");
    }
    gguf_init_params params = {/*no_alloc =*/true, /*ctx =*/nullptr};
    gguf_context* gguf = gguf_init_from_file(path.c_str(), params);
    if (gguf == nullptr)
        throw TrainerError("MODEL_INVALID", "The GGUF file is damaged or truncated: " + path);
    ModelFile model;
    const int64_t archKey = gguf_find_key(gguf, "general.architecture");
    const int64_t typeKey = gguf_find_key(gguf, "general.type");
    if (typeKey >= 0 && gguf_get_kv_type(gguf, typeKey) == GGUF_TYPE_STRING &&
        std::strcmp(gguf_get_val_str(gguf, typeKey), "adapter") == 0) {
        gguf_free(gguf);
        throw TrainerError("MODEL_INVALID", "This GGUF file is a LoRA adapter, not a base model: " + path);
    }
    if (archKey < 0 || gguf_get_kv_type(gguf, archKey) != GGUF_TYPE_STRING) {
        gguf_free(gguf);
        throw TrainerError("MODEL_INVALID", "The GGUF file has no general.architecture: " + path);
    }
    model.architecture = gguf_get_val_str(gguf, archKey);
    const int64_t n = gguf_get_n_tensors(gguf);
    for (int64_t i = 0; i < n; ++i) {
        ModelTensorInfo info;
        info.name = gguf_get_tensor_name(gguf, i);
        info.type = gguf_get_tensor_type(gguf, i);
        const int64_t* ne = gguf_get_tensor_ne(gguf, i);
        info.nDims = 1;
        for (int d = 0; d < 4; ++d) {
            info.ne[d] = ne[d];
            if (ne[d] > 1)
                info.nDims = d + 1;
        }
        model.tensors.push_back(std::move(info));
    }
    gguf_free(gguf);
    return model;
}
