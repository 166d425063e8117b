#pragma once
// Streaming text generation: batched prefill of the prompt, then one token at a time with a KV cache.
#include "engine/api/cancel_token.h"
#include "engine/api/types.h"
#include "engine/io/tokenizer.h"
#include "engine/model/llama_model.h"

#include <functional>
#include <string>
#include <vector>

namespace aqlm {

struct GenerationRequest {
    std::vector<int32_t> promptTokens;  // BOS included by the caller if wanted
    int64_t maxNewTokens = 256;
    SamplingParams sampling;
    bool stopAtEos = true;              // EOS and BOS both end a sample, as in llama2.c
};

struct GenerationResult {
    std::vector<int32_t> tokens;        // prompt + generated
    std::string text;                   // decoded generated text only
    GenerationStats stats;
};

// Called for every generated token with its decoded text; return false to stop.
using TokenCallback = std::function<bool(int32_t id, const std::string& piece)>;

class Generator {
public:
    Generator(const LlamaModel& model, const Tokenizer& tokenizer);
    GenerationResult generate(const GenerationRequest& request, const TokenCallback& onToken = {},
                              const CancelToken* cancel = nullptr) const;

private:
    // Runs the prompt [1, T] into the cache; returns the logits of its last chunk.
    at::Tensor prefill(const at::Tensor& prompt, KVCache& cache) const;

    const LlamaModel& m_model;
    const Tokenizer& m_tokenizer;
};

}  // namespace aqlm
