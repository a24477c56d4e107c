#include "DequantizedBase.h"

#include "QuantizeModel.h"
#include "TrainerError.h"

#include <filesystem>

namespace {

constexpr size_t spareDiskBytes = size_t(64) << 20;

} // namespace

size_t getF32ModelBytes(const ModelFile& model) {
    size_t bytes = 0;
    for (const auto& tensor : model.tensors)
        bytes += size_t(tensor.ne[0] * tensor.ne[1] * tensor.ne[2] * tensor.ne[3]) * sizeof(float);
    return bytes;
}

bool hasDiskSpace(const std::string& folder, size_t bytes) {
    std::error_code ec;
    const auto space = std::filesystem::space(folder.empty() ? "." : folder, ec);
    return !ec && space.available >= bytes + spareDiskBytes;
}

void writeDequantizedBase(const std::string& modelPath, const std::string& outPath, int threads) {
    if (convertModelFile(modelPath, outPath, LLAMA_FTYPE_ALL_F32, threads) == 0)
        return;
    const std::string folder = std::filesystem::path(outPath).parent_path().string();
    std::error_code ec;
    std::filesystem::remove(outPath, ec);
    if (!hasDiskSpace(folder, 0))
        throw TrainerError("DISK_FULL", "The disk filled up while writing the F32 copy of the model for GPU training in " + folder +
                                            ". Free some space, or train on the CPU (set conpet.training.gpuLayers to 0).");
    throw TrainerError("INTERNAL", "Could not write the F32 copy of the model for GPU training (llama_model_quantize failed); see the trainer log.");
}
