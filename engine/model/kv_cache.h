#pragma once
// Per-layer key/value cache for incremental decoding: [batch, kvHeads, capacity, headDim] per layer.
#include <ATen/ATen.h>

#include <vector>

namespace aqlm {

struct KVCache {
    std::vector<at::Tensor> keys;
    std::vector<at::Tensor> values;
    int64_t length = 0;    // positions filled
    int64_t capacity = 0;

    void reset() { length = 0; }
};

}  // namespace aqlm
