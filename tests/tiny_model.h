#pragma once
// A small random Llama built in code, for tests that need only shapes (no files).
#include "engine/model/llama_model.h"

#include <ATen/ATen.h>

namespace aqlm::test {

inline ModelConfig tinyConfig() {
    ModelConfig c;
    c.dim = 32;
    c.hiddenDim = 48;
    c.nLayers = 2;
    c.nHeads = 4;
    c.nKvHeads = 2;
    c.vocabSize = 64;
    c.maxSeqLen = 32;
    return c;
}

inline std::unique_ptr<LlamaModel> makeTinyModel(const ModelConfig& c = tinyConfig(), uint64_t seed = 7) {
    at::manual_seed(seed);
    auto w = [](int64_t out, int64_t in) { return at::randn({out, in}) / std::sqrt(static_cast<double>(in)); };
    std::vector<LlamaBlock> blocks;
    for (int64_t l = 0; l < c.nLayers; ++l) {
        LlamaBlock b;
        b.attnNorm = 1 + 0.1 * at::randn({c.dim});
        b.ffnNorm = 1 + 0.1 * at::randn({c.dim});
        b.q = std::make_unique<DenseLinear>(w(c.dim, c.dim));
        b.k = std::make_unique<DenseLinear>(w(c.kvDim(), c.dim));
        b.v = std::make_unique<DenseLinear>(w(c.kvDim(), c.dim));
        b.o = std::make_unique<DenseLinear>(w(c.dim, c.dim));
        b.gate = std::make_unique<DenseLinear>(w(c.hiddenDim, c.dim));
        b.up = std::make_unique<DenseLinear>(w(c.hiddenDim, c.dim));
        b.down = std::make_unique<DenseLinear>(w(c.dim, c.hiddenDim));
        blocks.push_back(std::move(b));
    }
    std::unique_ptr<Linear> head;
    if (!c.tiedEmbeddings) head = std::make_unique<DenseLinear>(w(c.vocabSize, c.dim));
    return std::make_unique<LlamaModel>(c, at::randn({c.vocabSize, c.dim}), std::move(blocks),
                                        1 + 0.1 * at::randn({c.dim}), std::move(head));
}

}  // namespace aqlm::test
