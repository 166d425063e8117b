#pragma once
// How many windows of seqLen tokens to run in one forward pass without a KV cache: up to `most`,
// fewer when their attention scores (heads x seqLen^2 floats per window) would pass ~256 MiB
// (a 7B model at 2048 tokens: 512 MiB per window, so one). Splitting a batch never changes a result;
// small models keep `most`. Shared by perplexity, compression and their memory estimates.
#include <algorithm>
#include <cstdint>

namespace aqlm {

// Calibration windows per forward pass of a compression, at most (the pipeline, its memory and
// time estimates).
constexpr int64_t kCompressionWindowsPerPass = 8;

inline int64_t windowsPerPass(int64_t heads, int64_t seqLen, int64_t most) {
    constexpr int64_t kScoreBytesPerPass = int64_t(256) << 20;
    const int64_t scoreBytes = heads * seqLen * seqLen * int64_t(sizeof(float));
    const int64_t fitting = scoreBytes > 0 ? kScoreBytesPerPass / scoreBytes : most;
    return std::clamp<int64_t>(fitting, 1, std::max<int64_t>(1, most));
}

}  // namespace aqlm
