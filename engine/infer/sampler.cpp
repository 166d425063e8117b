#include "engine/infer/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_set>

namespace aqlm {
namespace {

int32_t argmax(const std::vector<float>& v) {
    return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

void softmaxInPlace(std::vector<float>& x) {
    const float maxValue = *std::max_element(x.begin(), x.end());
    float sum = 0.0f;
    for (float& value : x) {
        value = std::exp(value - maxValue);
        sum += value;
    }
    for (float& value : x) value /= sum;
}

}  // namespace

Sampler::Sampler(const SamplingParams& params) : m_params(params), m_state(params.seed) {
    if (m_state == 0) m_state = 0x9E3779B97F4A7C15ull;  // xorshift must not start at zero
}

uint32_t Sampler::nextU32() {
    m_state ^= m_state >> 12;
    m_state ^= m_state << 25;
    m_state ^= m_state >> 27;
    return static_cast<uint32_t>((m_state * 0x2545F4914F6CDD1Dull) >> 32);
}

float Sampler::nextFloat() { return static_cast<float>(nextU32() >> 8) / 16777216.0f; }

void Sampler::applyRepeatPenalty(std::vector<float>& logits, const std::vector<int32_t>& history) const {
    if (m_params.repeatPenalty == 1.0f || history.empty()) return;
    const size_t window = m_params.repeatLastN <= 0 ? history.size()
                                                    : std::min(history.size(), size_t(m_params.repeatLastN));
    std::unordered_set<int32_t> seen(history.end() - static_cast<std::ptrdiff_t>(window), history.end());
    // CTRL-style penalty: always makes a seen token less likely, whatever the logit's sign.
    for (int32_t id : seen) {
        if (id < 0 || id >= static_cast<int32_t>(logits.size())) continue;
        float& l = logits[static_cast<size_t>(id)];
        l = l > 0 ? l / m_params.repeatPenalty : l * m_params.repeatPenalty;
    }
}

void Sampler::applyTopK(std::vector<float>& logits) const {
    const int k = m_params.topK;
    if (k <= 0 || k >= static_cast<int>(logits.size())) return;
    std::vector<float> sorted(logits);
    std::nth_element(sorted.begin(), sorted.begin() + (k - 1), sorted.end(), std::greater<float>());
    const float threshold = sorted[static_cast<size_t>(k - 1)];
    for (float& l : logits)
        if (l < threshold) l = -std::numeric_limits<float>::infinity();
}

int32_t Sampler::sampleTopP(const std::vector<float>& probs, float coin) const {
    // Drop tokens that cannot be in the nucleus before sorting (run.c's cutoff), then sort descending.
    const int64_t n = static_cast<int64_t>(probs.size());
    const float cutoff = (1.0f - m_params.topP) / static_cast<float>(n - 1);
    std::vector<std::pair<float, int32_t>> candidates;
    for (int64_t i = 0; i < n; ++i)
        if (probs[i] >= cutoff) candidates.push_back({probs[i], static_cast<int32_t>(i)});
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    float cumulative = 0.0f;
    size_t last = candidates.size() - 1;
    for (size_t i = 0; i < candidates.size(); ++i) {
        cumulative += candidates[i].first;
        if (cumulative > m_params.topP) {
            last = i;
            break;
        }
    }
    const float r = coin * cumulative;
    float cdf = 0.0f;
    for (size_t i = 0; i <= last; ++i) {
        cdf += candidates[i].first;
        if (r < cdf) return candidates[i].second;
    }
    return candidates[last].second;
}

int32_t Sampler::sample(std::vector<float>& logits, const std::vector<int32_t>& history) {
    applyRepeatPenalty(logits, history);
    if (m_params.temperature <= 0.0f) return argmax(logits);
    applyTopK(logits);
    for (float& l : logits) l /= m_params.temperature;
    softmaxInPlace(logits);
    const float coin = nextFloat();
    if (m_params.topP <= 0.0f || m_params.topP >= 1.0f) {
        float cdf = 0.0f;
        for (size_t i = 0; i < logits.size(); ++i) {
            cdf += logits[i];
            if (coin < cdf) return static_cast<int32_t>(i);
        }
        return static_cast<int32_t>(logits.size() - 1);
    }
    return sampleTopP(logits, coin);
}

}  // namespace aqlm
