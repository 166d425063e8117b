#pragma once
// Next-token selection. The random path follows llama2.c's run.c exactly (xorshift RNG, multinomial
// or nucleus sampling over fp32 probabilities), so its seeded samples are reproducible across tools;
// top-k and the repetition penalty are applied before it.
#include "engine/api/types.h"

#include <cstdint>
#include <vector>

namespace aqlm {

class Sampler {
public:
    explicit Sampler(const SamplingParams& params);

    // logits: vocab-sized fp32 scores (modified in place); history: tokens so far (for the penalty).
    int32_t sample(std::vector<float>& logits, const std::vector<int32_t>& history);

    // run.c's generator: xorshift64* -> uniform float in [0, 1).
    uint32_t nextU32();
    float nextFloat();

private:
    void applyRepeatPenalty(std::vector<float>& logits, const std::vector<int32_t>& history) const;
    void applyTopK(std::vector<float>& logits) const;
    int32_t sampleTopP(const std::vector<float>& probs, float coin) const;

    SamplingParams m_params;
    uint64_t m_state;
};

}  // namespace aqlm
