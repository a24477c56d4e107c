#include "BatchSampler.h"

#include <algorithm>
#include <cmath>

BatchSampler::BatchSampler(const std::vector<EncodedSample>& samples, int batchSize, bool replay, int newGroup,
                           double replayRatio, uint64_t seed)
    : batchSize_(batchSize), replay_(replay), replayRatio_(replayRatio), rng_(seed) {
    std::map<int, std::vector<int>> old;
    for (int i = 0; i < int(samples.size()); ++i) {
        all_.push_back(i);
        if (samples[size_t(i)].group == newGroup)
            fresh_.push_back(i);
        else
            old[samples[size_t(i)].group].push_back(i);
    }
    for (auto& [group, indices] : old)
        oldGroups_.push_back(std::move(indices));
    allCursor_ = all_.size();
    freshCursor_ = fresh_.size();
}

int BatchSampler::drawShuffled(std::vector<int>& order, size_t& cursor) {
    if (cursor >= order.size()) {
        std::shuffle(order.begin(), order.end(), rng_);
        cursor = 0;
    }
    return order[cursor++];
}

std::vector<int> BatchSampler::next() {
    std::vector<int> batch;
    batch.reserve(size_t(batchSize_));
    if (!replay_ || oldGroups_.empty() || fresh_.empty()) {
        for (int i = 0; i < batchSize_; ++i)
            batch.push_back(drawShuffled(all_, allCursor_));
        return batch;
    }
    const int nOld = std::min(batchSize_, int(std::lround(replayRatio_ * batchSize_)));
    for (int i = 0; i < batchSize_ - nOld; ++i)
        batch.push_back(drawShuffled(fresh_, freshCursor_));
    for (int i = 0; i < nOld; ++i) {
        const auto& group = oldGroups_[std::uniform_int_distribution<size_t>(0, oldGroups_.size() - 1)(rng_)];
        batch.push_back(group[std::uniform_int_distribution<size_t>(0, group.size() - 1)(rng_)]);
    }
    return batch;
}
