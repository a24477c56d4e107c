#include "MakeModel.h"

#include "EventWriter.h"
#include "TrainerError.h"

#include <cmath>
#include <cstdio>
#include <ggml.h>
#include <gguf.h>
#include <map>
#include <random>

namespace {

struct Shape {
    int layers = 0, embd = 0, heads = 0, kvHeads = 0, ff = 0, vocab = 0, ctx = 2048;
    std::string out;
    ggml_type type = GGML_TYPE_F32;
    uint64_t seed = 1;
};

Shape parseShape(const std::vector<std::string>& args) {
    std::map<std::string, std::string> values;
    for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (args[i].rfind("--", 0) != 0)
            throw TrainerError("INVALID_INPUT", "make-model: unexpected argument " + args[i]);
        values[args[i].substr(2)] = args[i + 1];
    }
    if (args.size() % 2 != 0)
        throw TrainerError("INVALID_INPUT", "make-model: every option needs a value");
    const auto number = [&](const char* name, int fallback) {
        const auto it = values.find(name);
        if (it == values.end()) {
            if (fallback < 0)
                throw TrainerError("INVALID_INPUT", std::string("make-model: --") + name + " is required");
            return fallback;
        }
        return std::stoi(it->second);
    };
    Shape shape;
    shape.layers = number("layers", -1);
    shape.embd = number("embd", -1);
    shape.heads = number("heads", -1);
    shape.kvHeads = number("kv-heads", shape.heads);
    shape.ff = number("ff", -1);
    shape.vocab = number("vocab", -1);
    shape.ctx = number("ctx", 2048);
    shape.seed = uint64_t(number("seed", 1));
    if (values.count("out") == 0)
        throw TrainerError("INVALID_INPUT", "make-model: --out is required");
    shape.out = values["out"];
    const std::string type = values.count("type") ? values["type"] : "f32";
    shape.type = type == "f32" ? GGML_TYPE_F32 : type == "f16" ? GGML_TYPE_F16 : type == "q8_0" ? GGML_TYPE_Q8_0 : GGML_TYPE_COUNT;
    if (shape.type == GGML_TYPE_COUNT)
        throw TrainerError("INVALID_INPUT", "make-model: --type must be f32, f16 or q8_0");
    if (shape.vocab < 300 || shape.embd % shape.heads != 0 || shape.heads % shape.kvHeads != 0)
        throw TrainerError("INVALID_INPUT", "make-model: vocab >= 300, embd divisible by heads, heads by kv-heads");
    return shape;
}

void addVocabulary(gguf_context* gguf, int nVocab) {
    std::vector<std::string> tokens;
    std::vector<float> scores;
    std::vector<int32_t> types;
    const auto add = [&](std::string text, int type) {
        scores.push_back(-float(tokens.size()));
        tokens.push_back(std::move(text));
        types.push_back(type);
    };
    add("<unk>", 2);
    add("<s>", 3);
    add("</s>", 3);
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof(name), "<0x%02X>", b);
        add(name, 6);
    }
    for (int i = int(tokens.size()); i < nVocab; ++i)
        add("\xe2\x96\x81t" + std::to_string(i), 1);
    std::vector<const char*> texts;
    for (const auto& t : tokens)
        texts.push_back(t.c_str());
    gguf_set_val_str(gguf, "tokenizer.ggml.model", "llama");
    gguf_set_arr_str(gguf, "tokenizer.ggml.tokens", texts.data(), texts.size());
    gguf_set_arr_data(gguf, "tokenizer.ggml.scores", GGUF_TYPE_FLOAT32, scores.data(), scores.size());
    gguf_set_arr_data(gguf, "tokenizer.ggml.token_type", GGUF_TYPE_INT32, types.data(), types.size());
    gguf_set_val_u32(gguf, "tokenizer.ggml.unknown_token_id", 0);
    gguf_set_val_u32(gguf, "tokenizer.ggml.bos_token_id", 1);
    gguf_set_val_u32(gguf, "tokenizer.ggml.eos_token_id", 2);
}

} // namespace

void runMakeModel(const std::vector<std::string>& args) {
    const Shape s = parseShape(args);
    const int headDim = s.embd / s.heads;
    const int kvDim = headDim * s.kvHeads;

    struct Spec {
        std::string name;
        int64_t ne0, ne1;
        bool norm;
    };
    std::vector<Spec> specs = {{"token_embd.weight", s.embd, s.vocab, false}, {"output_norm.weight", s.embd, 1, true}};
    for (int il = 0; il < s.layers; ++il) {
        const std::string p = "blk." + std::to_string(il) + ".";
        specs.push_back({p + "attn_norm.weight", s.embd, 1, true});
        specs.push_back({p + "attn_q.weight", s.embd, s.embd, false});
        specs.push_back({p + "attn_k.weight", s.embd, kvDim, false});
        specs.push_back({p + "attn_v.weight", s.embd, kvDim, false});
        specs.push_back({p + "attn_output.weight", s.embd, s.embd, false});
        specs.push_back({p + "ffn_norm.weight", s.embd, 1, true});
        specs.push_back({p + "ffn_gate.weight", s.embd, s.ff, false});
        specs.push_back({p + "ffn_up.weight", s.embd, s.ff, false});
        specs.push_back({p + "ffn_down.weight", s.ff, s.embd, false});
    }

    size_t dataSize = 0;
    for (const auto& spec : specs)
        dataSize += ggml_row_size(spec.norm ? GGML_TYPE_F32 : s.type, spec.ne0) * size_t(spec.ne1) + 64;
    ggml_init_params params = {dataSize + specs.size() * ggml_tensor_overhead() + 4096, nullptr, false};
    ggml_context* ctx = ggml_init(params);
    if (ctx == nullptr)
        throw TrainerError("OUT_OF_MEMORY", "make-model: cannot allocate the model in memory");

    gguf_context* gguf = gguf_init_empty();
    gguf_set_val_str(gguf, "general.architecture", "llama");
    gguf_set_val_str(gguf, "general.name", "conpet random llama");
    gguf_set_val_u32(gguf, "general.file_type", s.type == GGML_TYPE_F32 ? 0 : s.type == GGML_TYPE_F16 ? 1 : 7);
    gguf_set_val_u32(gguf, "llama.context_length", uint32_t(s.ctx));
    gguf_set_val_u32(gguf, "llama.embedding_length", uint32_t(s.embd));
    gguf_set_val_u32(gguf, "llama.block_count", uint32_t(s.layers));
    gguf_set_val_u32(gguf, "llama.feed_forward_length", uint32_t(s.ff));
    gguf_set_val_u32(gguf, "llama.attention.head_count", uint32_t(s.heads));
    gguf_set_val_u32(gguf, "llama.attention.head_count_kv", uint32_t(s.kvHeads));
    gguf_set_val_u32(gguf, "llama.rope.dimension_count", uint32_t(headDim));
    gguf_set_val_f32(gguf, "llama.rope.freq_base", 10000.0f);
    gguf_set_val_f32(gguf, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
    gguf_set_val_u32(gguf, "llama.vocab_size", uint32_t(s.vocab));
    addVocabulary(gguf, s.vocab);

    std::mt19937_64 rng(s.seed);
    std::normal_distribution<float> normal(0.0f, 0.02f);
    std::vector<float> row;
    for (const auto& spec : specs) {
        const ggml_type type = spec.norm ? GGML_TYPE_F32 : s.type;
        ggml_tensor* t = spec.ne1 == 1 ? ggml_new_tensor_1d(ctx, type, spec.ne0) : ggml_new_tensor_2d(ctx, type, spec.ne0, spec.ne1);
        ggml_set_name(t, spec.name.c_str());
        std::vector<float> values(size_t(spec.ne0 * spec.ne1));
        for (auto& v : values)
            v = spec.norm ? 1.0f : normal(rng);
        if (type == GGML_TYPE_F32)
            std::copy(values.begin(), values.end(), static_cast<float*>(t->data));
        else
            ggml_quantize_chunk(type, values.data(), t->data, 0, spec.ne1, spec.ne0, nullptr);
        gguf_add_tensor(gguf, t);
    }
    if (!gguf_write_to_file(gguf, s.out.c_str(), false))
        throw TrainerError("NOT_WRITABLE", "make-model: cannot write " + s.out);
    int64_t nParams = 0;
    for (const auto& spec : specs)
        nParams += spec.ne0 * spec.ne1;
    writeEvent({{"type", "model"}, {"path", s.out}, {"parameters", nParams}, {"ggmlType", ggml_type_name(s.type)}});
    gguf_free(gguf);
    ggml_free(ctx);
}
