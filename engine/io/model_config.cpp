// Sanity checks shared by every config source (HF config.json, llama2.c headers): they run before
// any size is computed from these numbers, so the bounds also keep that arithmetic far from overflow.
#include "engine/io/model_config.h"

#include "engine/api/engine_error.h"

#include <cmath>

namespace aqlm {

namespace {

void requireRange(const std::string& source, const char* name, int64_t value, int64_t min, int64_t max) {
    if (value < min || value > max)
        throw EngineError(source, std::string(name) + " = " + std::to_string(value) + " is out of range [" +
                                      std::to_string(min) + ", " + std::to_string(max) + "]");
}

}  // namespace

void ModelConfig::validate(const std::string& source) const {
    requireRange(source, "dim", dim, 1, 65535);
    requireRange(source, "hidden dim", hiddenDim, 1, (int64_t(1) << 20) - 1);
    requireRange(source, "layer count", nLayers, 1, 999);
    requireRange(source, "head count", nHeads, 1, dim);
    requireRange(source, "kv head count", nKvHeads, 1, nHeads);
    requireRange(source, "vocab size", vocabSize, 1, 9'999'999);
    requireRange(source, "context length", maxSeqLen, 1, int64_t(1) << 24);

    if (dim % nHeads != 0)
        throw EngineError(source, "dim " + std::to_string(dim) + " is not divisible by the head count " +
                                      std::to_string(nHeads));
    if (nHeads % nKvHeads != 0)
        throw EngineError(source, "head count " + std::to_string(nHeads) +
                                      " is not divisible by the kv head count " + std::to_string(nKvHeads));
    if (headDim() % 2 != 0)  // RoPE rotates pairs of channels
        throw EngineError(source, "head dim " + std::to_string(headDim()) + " is odd; RoPE needs an even head dim");

    if (!std::isfinite(ropeTheta) || ropeTheta <= 0)
        throw EngineError(source, "rope theta " + std::to_string(ropeTheta) + " must be positive");
    if (!std::isfinite(rmsNormEps) || rmsNormEps <= 0 || rmsNormEps >= 1)
        throw EngineError(source, "rms norm eps " + std::to_string(rmsNormEps) + " must be in (0, 1)");
    // Token ids index the embedding table (BOS is prepended), so they must be inside it.
    requireRange(source, "bos token id", bosId, 0, vocabSize - 1);
    requireRange(source, "eos token id", eosId, 0, vocabSize - 1);
}

}  // namespace aqlm

namespace aqlm {

int64_t ModelConfig::parameterCount() const {
    const int64_t perLayer = 2 * dim                          // the two norms
                             + 2 * dim * dim + 2 * kvDim() * dim  // q, o; k, v
                             + 3 * dim * hiddenDim;           // gate, up, down
    return vocabSize * dim * (tiedEmbeddings ? 1 : 2) + dim + nLayers * perLayer;
}

}  // namespace aqlm
