#pragma once
// Hugging Face Llama folders of real model shapes filled with random weights, for testing and
// benchmarking the loading and running of 7B-class models without downloading one. Written as a
// stream (one tensor piece at a time), so a 13.5 GB folder needs a few MB of memory.
#include "engine/io/safetensors.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace aqlm {

struct SyntheticHfShape {
    std::string name;
    int64_t dim = 0, hiddenDim = 0, layers = 0, heads = 0, kvHeads = 0, maxPositions = 0;
    double ropeTheta = 10000.0, rmsNormEps = 1e-5;
};

// "llama2-7b", "llama3-8b", "mistral-7b", "tinyllama" or "tiny" (dim 256, 4 layers: for fast tests).
// Throws std::invalid_argument naming the known shapes otherwise.
SyntheticHfShape syntheticHfShape(const std::string& name);
std::vector<std::string> syntheticHfShapeNames();

struct SyntheticHfOptions {
    SyntheticHfShape shape;
    DType dtype = DType::F16;   // F16 or BF16
    uint64_t seed = 0;
    int shards = 1;             // > 1: model-0000i-of-0000K.safetensors + model.safetensors.index.json
    std::string tokenizerFile;  // a SentencePiece .model; its piece count becomes vocab_size
};

struct SyntheticHfSummary {
    int64_t parameters = 0;
    int64_t vocabSize = 0;
    uint64_t bytes = 0;  // all safetensors files together
    std::vector<std::string> files;
};

// Creates dir (it must not hold a model already) and writes the weights, the tokenizer copy, then
// config.json last, each atomically: a folder with config.json is complete. Projections and
// embeddings are ~ N(0, 0.02), norms 1.0; the same seed gives the same bytes. progress, if set, is
// called with (bytes written, bytes in all) after every piece.
SyntheticHfSummary writeSyntheticHfModel(const std::string& dir, const SyntheticHfOptions& options,
                                         const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace aqlm
