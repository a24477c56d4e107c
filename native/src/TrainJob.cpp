#include "TrainJob.h"

#include "TrainerError.h"

#include <fstream>
#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

std::vector<TrainSample> parseSamples(const json& array, const char* field) {
    std::vector<TrainSample> samples;
    if (!array.is_array())
        throw TrainerError("INVALID_INPUT", std::string(field) + " must be an array");
    samples.reserve(array.size());
    for (const auto& item : array) {
        if (!item.is_object() || !item.contains("prompt") || !item.contains("completion") ||
            !item["prompt"].is_string() || !item["completion"].is_string())
            throw TrainerError("INVALID_INPUT", std::string(field) + ": each sample needs string prompt and completion");
        TrainSample sample;
        sample.prompt = item["prompt"].get<std::string>();
        sample.completion = item["completion"].get<std::string>();
        sample.group = item.value("group", 0);
        samples.push_back(std::move(sample));
    }
    return samples;
}

// A field the job must carry: the trainer keeps no defaults of its own for what the caller's settings decide.
const json& requireField(const json& object, const char* field) {
    if (!object.contains(field) || object[field].is_null())
        throw TrainerError("INVALID_INPUT", std::string("invalid job: ") + field + " is required");
    return object[field];
}

} // namespace

TrainJob parseTrainJob(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw TrainerError("INVALID_INPUT", "cannot read job file " + path);
    json j;
    try {
        in >> j;
    } catch (const json::exception& e) {
        throw TrainerError("INVALID_INPUT", std::string("job file is not valid JSON: ") + e.what());
    }
    TrainJob job;
    try {
        job.modelPath = requireField(j, "modelPath").get<std::string>();
        job.outputPath = requireField(j, "outputPath").get<std::string>();
        if (j.contains("samples"))
            job.samples = parseSamples(j["samples"], "samples");
        if (j.contains("evalSamples"))
            job.evalSamples = parseSamples(j["evalSamples"], "evalSamples");
        if (j.contains("syntheticSamples")) {
            const auto& s = j["syntheticSamples"];
            job.synthetic.count = s.at("count").get<int>();
            job.synthetic.promptTokens = s.at("promptTokens").get<int>();
            job.synthetic.completionTokens = s.at("completionTokens").get<int>();
        }
        if (j.contains("replay") && !j["replay"].is_null()) {
            job.replay = true;
            job.replayNewGroup = j["replay"].at("newGroup").get<int>();
            job.replayRatio = j["replay"].at("ratio").get<double>();
        }
        const auto& lora = requireField(j, "lora");
        job.rank = requireField(lora, "rank").get<int>();
        job.alpha = requireField(lora, "alpha").get<float>();
        job.targetModules = requireField(lora, "targetModules").get<std::vector<std::string>>();
        job.steps = requireField(j, "steps").get<int>();
        job.batchSize = requireField(j, "batchSize").get<int>();
        job.learningRate = requireField(j, "learningRate").get<float>();
        const auto schedule = requireField(j, "lrSchedule").get<std::string>();
        if (schedule == "constant")
            job.lrSchedule = LrSchedule::Constant;
        else if (schedule == "linear")
            job.lrSchedule = LrSchedule::Linear;
        else if (schedule == "cosine")
            job.lrSchedule = LrSchedule::Cosine;
        else
            throw TrainerError("INVALID_INPUT", "lrSchedule must be constant, linear or cosine");
        job.seed = requireField(j, "seed").get<uint64_t>();
        job.contextSize = requireField(j, "contextSize").get<int>();
        const auto& gpuLayers = requireField(j, "gpuLayers");
        if (gpuLayers.is_string() && gpuLayers.get<std::string>() == "auto")
            job.gpuLayers = TrainJob::autoGpuLayers;
        else if (gpuLayers.is_string() && gpuLayers.get<std::string>() == "max")
            job.gpuLayers = TrainJob::allGpuLayers;
        else if (gpuLayers.is_number_integer() && gpuLayers.get<int>() >= 0)
            job.gpuLayers = gpuLayers.get<int>();
        else
            throw TrainerError("INVALID_INPUT", "invalid job: gpuLayers must be \"auto\", \"max\" or a number of at least 0");
        job.warmupSteps = j.value("warmupSteps", 0);
        job.weightDecay = j.value("weightDecay", 0.0f);
        if (j.contains("initAdapterPath") && j["initAdapterPath"].is_string())
            job.initAdapterPath = j["initAdapterPath"].get<std::string>();
        job.threads = j.value("threads", 0);
        job.evalEvery = j.value("evalEvery", 0);
    } catch (const json::exception& e) {
        throw TrainerError("INVALID_INPUT", std::string("invalid job: ") + e.what());
    }
    if (job.rank < 1 || job.rank > 1024)
        throw TrainerError("INVALID_INPUT", "lora.rank must be between 1 and 1024");
    if (!(job.alpha > 0))
        throw TrainerError("INVALID_INPUT", "lora.alpha must be positive");
    if (job.targetModules.empty())
        throw TrainerError("INVALID_INPUT", "lora.targetModules must not be empty");
    if (job.steps < 0)
        throw TrainerError("INVALID_INPUT", "steps must not be negative");
    if (job.batchSize < 1 || job.batchSize > 256)
        throw TrainerError("INVALID_INPUT", "batchSize must be between 1 and 256");
    if (job.contextSize < 8)
        throw TrainerError("INVALID_INPUT", "contextSize must be at least 8");
    if (job.replay && (job.replayRatio < 0 || job.replayRatio > 1))
        throw TrainerError("INVALID_INPUT", "replay.ratio must be between 0 and 1");
    if (!(job.learningRate > 0))
        throw TrainerError("INVALID_INPUT", "learningRate must be positive");
    return job;
}
