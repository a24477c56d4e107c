// The JSON job (TrainJob in src/vocabulary/trainerProtocol.ts). The hyper-parameters have no defaults here:
// the job must carry them (parseTrainJob refuses one without), so the core's settings (src/core/settings)
// are their one source. The optional fields default to "off" (no replay, warm-up, weight decay or
// intermediate eval) or to "choose yourself" (threads 0).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct TrainSample {
    std::string prompt;
    std::string completion;
    int group = 0;
};

// Random token ids instead of text, for throughput benchmarks on random-weight models.
struct SyntheticSamples {
    int count = 0;
    int promptTokens = 0;
    int completionTokens = 0;
};

enum class LrSchedule { Constant, Linear, Cosine };

struct TrainJob {
    std::string modelPath;
    std::string outputPath;
    std::vector<TrainSample> samples;
    std::vector<TrainSample> evalSamples;
    SyntheticSamples synthetic;
    bool replay = false;
    int replayNewGroup = 0;
    double replayRatio = 0.0;
    // Required in the job.
    int rank = 0;
    float alpha = 0.0f;
    std::vector<std::string> targetModules;
    int steps = 0;
    int batchSize = 0;
    float learningRate = 0.0f;
    LrSchedule lrSchedule = LrSchedule::Constant;
    uint64_t seed = 0;
    int contextSize = 0;
    int gpuLayers = 0;
    // Optional.
    int warmupSteps = 0;
    float weightDecay = 0.0f;
    std::string initAdapterPath;
    int threads = 0;
    // Layers offloaded to the GPU. `autoGpuLayers`: all of them when a GPU backend can train the model, else none.
    static constexpr int autoGpuLayers = -1;
    static constexpr int allGpuLayers = 100000;
    int evalEvery = 0;
};

// Throws TrainerError(INVALID_INPUT) on a malformed job.
TrainJob parseTrainJob(const std::string& path);
