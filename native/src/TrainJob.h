// The JSON job (TrainJob in src/vocabulary/trainerProtocol.ts), with defaults resolved.
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
    int rank = 8;
    float alpha = 16.0f;
    std::vector<std::string> targetModules{"q", "k", "v", "o"};
    int steps = 0;
    int batchSize = 8;
    float learningRate = 1e-3f;
    LrSchedule lrSchedule = LrSchedule::Cosine;
    int warmupSteps = 0;
    float weightDecay = 0.0f;
    uint64_t seed = 42;
    std::string initAdapterPath;
    int contextSize = 256;
    int threads = 0;
    // Layers offloaded to the GPU. `autoGpuLayers`: all of them when a GPU backend can train the model, else none.
    static constexpr int autoGpuLayers = -1;
    static constexpr int allGpuLayers = 100000;
    int gpuLayers = 0;
    int evalEvery = 0;
};

// Throws TrainerError(INVALID_INPUT) on a malformed job.
TrainJob parseTrainJob(const std::string& path);
