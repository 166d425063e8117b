#include "engine/infer/generator.h"

#include "engine/api/engine_error.h"
#include "engine/infer/sampler.h"

#include <algorithm>
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <chrono>

namespace aqlm {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<float> lastLogits(const at::Tensor& logits) {
    auto row = logits.select(0, 0).select(0, logits.size(1) - 1).contiguous();
    const float* p = row.data_ptr<float>();
    return std::vector<float>(p, p + row.numel());
}

}  // namespace

at::Tensor Generator::prefill(const at::Tensor& prompt, KVCache& cache) const {
    // Long prompts go through the cache in chunks: attention scores then cost heads x chunk x
    // context floats (134 MB for a 7B model at 2048 tokens) instead of heads x prompt^2 (537 MB).
    // A prompt that fits one chunk runs exactly as one forward call.
    constexpr int64_t kChunk = 512;
    const int64_t length = prompt.size(1);
    for (int64_t begin = 0;; begin += kChunk) {
        const int64_t n = std::min(kChunk, length - begin);
        if (begin + n >= length) return m_model.forward(prompt.narrow(1, begin, n), &cache);
        at::Tensor h = m_model.embed(prompt.narrow(1, begin, n));
        for (int64_t l = 0; l < m_model.numBlocks(); ++l) h = m_model.blockForward(l, h, cache.length, &cache);
        cache.length += n;
    }
}

Generator::Generator(const LlamaModel& model, const Tokenizer& tokenizer)
    : m_model(model), m_tokenizer(tokenizer) {}

GenerationResult Generator::generate(const GenerationRequest& request, const TokenCallback& onToken,
                                     const CancelToken* cancel) const {
    if (request.promptTokens.empty()) throw EngineError("", "empty prompt: at least BOS is needed");
    const int64_t context = m_model.config().maxSeqLen;
    const int64_t promptLength = static_cast<int64_t>(request.promptTokens.size());
    if (promptLength > context)
        throw EngineError("", "prompt of " + std::to_string(promptLength) +
                                  " tokens exceeds the model's context of " + std::to_string(context));

    c10::NoGradGuard noGrad;
    GenerationResult result;
    result.tokens = request.promptTokens;
    result.stats.promptTokens = promptLength;
    Sampler sampler(request.sampling);
    // Only as many positions as this request can use: a 32k-context model does not reserve 32k.
    KVCache cache = m_model.makeCache(1, std::min(context, promptLength + std::max<int64_t>(request.maxNewTokens, 0)));

    const auto start = Clock::now();
    auto prompt = at::tensor(std::vector<int64_t>(request.promptTokens.begin(), request.promptTokens.end()),
                             at::kLong).view({1, promptLength});
    std::vector<float> logits = lastLogits(prefill(prompt, cache));
    const double prefillSeconds = secondsSince(start);
    result.stats.prefillTokensPerSecond = prefillSeconds > 0 ? promptLength / prefillSeconds : 0;

    Clock::time_point decodeStart = Clock::now();
    result.stats.stopReason = "max_tokens";
    for (int64_t step = 0; step < request.maxNewTokens; ++step) {
        if (cancel && cancel->isCancelled()) {
            result.stats.stopReason = "cancelled";
            break;
        }
        const int32_t previous = result.tokens.back();
        const int32_t next = sampler.sample(logits, result.tokens);
        if (step == 0) {
            result.stats.timeToFirstTokenMs = secondsSince(start) * 1000.0;
            decodeStart = Clock::now();
        }
        if (request.stopAtEos && (next == m_tokenizer.eosId() || next == m_tokenizer.bosId())) {
            result.stats.stopReason = "eos";
            break;
        }
        result.tokens.push_back(next);
        ++result.stats.generatedTokens;
        const std::string piece = m_tokenizer.decodePiece(previous, next);
        result.text += piece;
        if (onToken && !onToken(next, piece)) {
            result.stats.stopReason = "callback";
            break;
        }
        if (step + 1 == request.maxNewTokens) break;
        if (cache.length >= cache.capacity) {
            result.stats.stopReason = "context_full";
            break;
        }
        auto input = at::full({1, 1}, static_cast<int64_t>(next), at::kLong);
        logits = lastLogits(m_model.forward(input, &cache));
    }
    const double decodeSeconds = secondsSince(decodeStart);
    // The first token comes from the prefill logits, so decode speed counts the tokens after it.
    if (result.stats.generatedTokens > 1 && decodeSeconds > 0)
        result.stats.decodeTokensPerSecond = (result.stats.generatedTokens - 1) / decodeSeconds;
    result.stats.totalSeconds = secondsSince(start);
    return result;
}

}  // namespace aqlm
