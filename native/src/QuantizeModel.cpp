#include "QuantizeModel.h"

#include "EventWriter.h"
#include "TrainerError.h"

#include <map>

uint32_t convertModelFile(const std::string& in, const std::string& out, llama_ftype ftype, int threads) {
    llama_model_quantize_params params = llama_model_quantize_default_params();
    params.ftype = ftype;
    params.nthread = threads;
    // the input may itself be quantized (e.g. a Q8_0 file to F32 for a reference run, or a GPU's F32 copy)
    params.allow_requantize = true;
    return llama_model_quantize(in.c_str(), out.c_str(), &params);
}

void runQuantizeModel(const std::vector<std::string>& args) {
    std::map<std::string, std::string> values;
    if (args.size() % 2 != 0)
        throw TrainerError("INVALID_INPUT", "quantize: every option needs a value");
    for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (args[i].rfind("--", 0) != 0)
            throw TrainerError("INVALID_INPUT", "quantize: unexpected argument " + args[i]);
        values[args[i].substr(2)] = args[i + 1];
    }
    const std::map<std::string, llama_ftype> types{
        {"f32", LLAMA_FTYPE_ALL_F32},           {"f16", LLAMA_FTYPE_MOSTLY_F16},
        {"q8_0", LLAMA_FTYPE_MOSTLY_Q8_0},      {"q4_0", LLAMA_FTYPE_MOSTLY_Q4_0},
        {"q4_k_m", LLAMA_FTYPE_MOSTLY_Q4_K_M},  {"q5_k_m", LLAMA_FTYPE_MOSTLY_Q5_K_M},
        {"q6_k", LLAMA_FTYPE_MOSTLY_Q6_K}};
    if (values.count("in") == 0 || values.count("out") == 0 || values.count("type") == 0 || types.count(values["type"]) == 0)
        throw TrainerError("INVALID_INPUT", "quantize: --in FILE --out FILE --type q8_0|q4_0|q4_k_m|q5_k_m|q6_k|f16|f32 are required");
    llama_backend_init();
    const uint32_t rc = convertModelFile(values["in"], values["out"], types.at(values["type"]),
                                         values.count("threads") ? std::stoi(values["threads"]) : 0);
    llama_backend_free();
    if (rc != 0)
        throw TrainerError("INTERNAL", "quantize: llama_model_quantize failed (" + std::to_string(rc) + "); see the log on stderr");
    writeEvent({{"type", "model"}, {"path", values["out"]}, {"ftype", values["type"]}});
}
