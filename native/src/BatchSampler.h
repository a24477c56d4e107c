// Picks the samples of each optimizer step, deterministically from the seed. Without replay it walks
// shuffled epochs over all samples; with replay each batch takes round(ratio * B) samples from
// groups other than newGroup (group uniform, then sample uniform) and the rest from newGroup.
#pragma once

#include "SampleEncoder.h"

#include <map>
#include <random>
#include <vector>

class BatchSampler {
  public:
    BatchSampler(const std::vector<EncodedSample>& samples, int batchSize, bool replay, int newGroup,
                 double replayRatio, uint64_t seed);

    std::vector<int> next();

  private:
    int drawShuffled(std::vector<int>& order, size_t& cursor);

    int batchSize_;
    bool replay_;
    double replayRatio_;
    std::mt19937_64 rng_;
    std::vector<int> all_;
    size_t allCursor_ = 0;
    std::vector<int> fresh_;
    size_t freshCursor_ = 0;
    std::vector<std::vector<int>> oldGroups_;
};
