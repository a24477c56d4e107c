#include "SampleEncoder.h"

#include "EventWriter.h"
#include "TrainerError.h"

#include <string>

namespace {

std::vector<llama_token> tokenize(const llama_vocab* vocab, const std::string& text, bool addSpecial,
                                  bool parseSpecial) {
    std::vector<llama_token> tokens(text.size() + 4);
    int n = llama_tokenize(vocab, text.data(), int32_t(text.size()), tokens.data(), int32_t(tokens.size()),
                           addSpecial, parseSpecial);
    if (n < 0) {
        tokens.resize(size_t(-n));
        n = llama_tokenize(vocab, text.data(), int32_t(text.size()), tokens.data(), int32_t(tokens.size()),
                           addSpecial, parseSpecial);
    }
    if (n < 0)
        throw TrainerError("INTERNAL", "tokenization failed");
    tokens.resize(size_t(n));
    return tokens;
}

} // namespace

std::vector<EncodedSample> encodeSamples(const llama_vocab* vocab, const std::vector<TrainSample>& samples,
                                         int contextSize, const char* what) {
    const llama_token bos = llama_vocab_bos(vocab);
    const llama_token eos = llama_vocab_eos(vocab);
    std::vector<EncodedSample> encoded;
    encoded.reserve(samples.size());
    int truncated = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
        const auto& sample = samples[i];
        std::vector<llama_token> prompt = tokenize(vocab, sample.prompt, true, true);
        const std::vector<llama_token> completion = tokenize(vocab, sample.completion, false, false);
        const bool keepBos = !prompt.empty() && prompt[0] == bos;
        const size_t nTargets = completion.size() + (eos == LLAMA_TOKEN_NULL ? 0 : 1);
        if (nTargets == 0)
            throw TrainerError("INVALID_INPUT", std::string(what) + " " + std::to_string(i) + " has an empty completion");
        // the model reads prompt + completion (the last target is never an input)
        const size_t maxPrompt = size_t(contextSize) + 1 - nTargets;
        if (nTargets + 1 > size_t(contextSize) + 1 - (keepBos ? 1 : 0))
            throw TrainerError("SAMPLE_TOO_LONG", std::string(what) + " " + std::to_string(i) + ": the completion has " +
                                                      std::to_string(completion.size()) +
                                                      " tokens, which does not fit contextSize " +
                                                      std::to_string(contextSize) + ". Raise contextSize or shorten it.");
        if (prompt.size() > maxPrompt) {
            const size_t drop = prompt.size() - maxPrompt;
            const size_t from = keepBos ? 1 : 0;
            prompt.erase(prompt.begin() + long(from), prompt.begin() + long(from + drop));
            truncated++;
        }
        if (prompt.empty()) // nothing to condition the first completion token on
            prompt.push_back(bos != LLAMA_TOKEN_NULL ? bos : completion.front());
        EncodedSample e;
        e.nPrompt = int(prompt.size());
        e.tokens = std::move(prompt);
        e.tokens.insert(e.tokens.end(), completion.begin(), completion.end());
        if (eos != LLAMA_TOKEN_NULL)
            e.tokens.push_back(eos);
        e.group = sample.group;
        encoded.push_back(std::move(e));
    }
    if (truncated > 0)
        writeWarning(std::to_string(truncated) + " " + what + "(s) longer than contextSize " + std::to_string(contextSize) +
                     " tokens: their prompts were truncated from the left.");
    return encoded;
}

std::vector<EncodedSample> createSyntheticSamples(const llama_vocab* vocab, const SyntheticSamples& spec,
                                                  std::mt19937_64& rng) {
    const int nVocab = llama_vocab_n_tokens(vocab);
    const llama_token bos = llama_vocab_bos(vocab);
    const llama_token eos = llama_vocab_eos(vocab);
    // skip the first ids, which hold the special and byte tokens in llama-style vocabularies
    std::uniform_int_distribution<int> pick(std::min(259, nVocab - 1), nVocab - 1);
    std::vector<EncodedSample> samples(size_t(spec.count));
    for (auto& s : samples) {
        s.tokens.push_back(bos != LLAMA_TOKEN_NULL ? bos : pick(rng));
        for (int i = 1; i < spec.promptTokens; ++i)
            s.tokens.push_back(pick(rng));
        s.nPrompt = int(s.tokens.size());
        for (int i = 0; i < spec.completionTokens; ++i)
            s.tokens.push_back(pick(rng));
        s.tokens.push_back(eos != LLAMA_TOKEN_NULL ? eos : pick(rng));
    }
    return samples;
}
