#pragma once
// Architecture hyper-parameters of a Llama-family decoder, whatever file they came from.
#include <cstdint>
#include <string>

namespace aqlm {

// How q/k rows pair up for RoPE. llama2.c/Meta checkpoints rotate adjacent pairs (2i, 2i+1);
// Hugging Face checkpoints store the rows permuted so that the pair is (i, i + headDim/2). The
// model runs the weights in the order they are stored, so mapped files are used in place.
enum class RopeLayout { Interleaved, RotateHalf };

struct ModelConfig {
    std::string architecture = "llama";  // "llama" or "mistral" (same math for our purposes)
    int64_t dim = 0;                 // hidden_size
    int64_t hiddenDim = 0;           // intermediate_size (SwiGLU)
    int64_t nLayers = 0;
    int64_t nHeads = 0;
    int64_t nKvHeads = 0;
    int64_t vocabSize = 0;
    int64_t maxSeqLen = 0;           // context length
    double ropeTheta = 10000.0;
    double rmsNormEps = 1e-5;
    bool tiedEmbeddings = true;
    int32_t bosId = 1;
    int32_t eosId = 2;
    RopeLayout ropeLayout = RopeLayout::Interleaved;

    int64_t headDim() const { return nHeads > 0 ? dim / nHeads : 0; }
    int64_t kvDim() const { return nKvHeads * headDim(); }
    // Logical parameters: embeddings, every projection and norm, the head when untied.
    int64_t parameterCount() const;
    // Throws EngineError(source, ...) when the numbers cannot describe a working model.
    void validate(const std::string& source) const;
};

}  // namespace aqlm
