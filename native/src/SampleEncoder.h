// Tokenises samples exactly as node-llama-cpp scores them (docs/ARCHITECTURE.md, "Tokenisation
// contract"): prompt with BOS and special tokens, completion without either, then EOS.
#pragma once

#include "TrainJob.h"

#include <cstdint>
#include <llama.h>
#include <random>
#include <vector>

struct EncodedSample {
    // prompt tokens, completion tokens, EOS. The model reads tokens[0..n-2]; the loss covers
    // predicting tokens[nPrompt..n-1] (completion and EOS) only.
    std::vector<llama_token> tokens;
    int nPrompt = 0;
    int group = 0;

    int nInputs() const { return int(tokens.size()) - 1; }
    int nTargets() const { return int(tokens.size()) - nPrompt; }
};

// A prompt that does not fit contextSize is truncated from the left (keeping BOS) with a warning;
// a completion that alone does not fit is rejected with SAMPLE_TOO_LONG.
std::vector<EncodedSample> encodeSamples(const llama_vocab* vocab, const std::vector<TrainSample>& samples,
                                         int contextSize, const char* what);

// Random token ids (for throughput benchmarks on random-weight models).
std::vector<EncodedSample> createSyntheticSamples(const llama_vocab* vocab, const SyntheticSamples& spec,
                                                  std::mt19937_64& rng);
