// measureDecodeSpeed: how fast a model generates on this machine, as the chat would run it
// (batched prefill, then greedy decode one token at a time through the KV cache).
#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"
#include "engine/infer/generator.h"
#include "engine/model/model_loader.h"

#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <vector>

namespace aqlm {
namespace {

constexpr int kTimedRuns = 3;

// Ordinary story text: a realistic token mix for any Llama tokenizer; repeated as needed.
const char* kPromptText =
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the park "
    "with her friends. One day, she saw a big red ball under a tree and ran to get it. ";

std::vector<int32_t> promptOf(const Tokenizer& tokenizer, int64_t length) {
    std::vector<int32_t> tokens = tokenizer.encode(kPromptText, true);
    const std::vector<int32_t> more = tokenizer.encode(kPromptText, false);
    if (more.empty()) throw EngineError("", "the tokenizer produced no tokens for the speed prompt");
    while (static_cast<int64_t>(tokens.size()) < length) tokens.insert(tokens.end(), more.begin(), more.end());
    tokens.resize(static_cast<size_t>(length));
    return tokens;
}

// Distinct describe() texts of the decoder's linear layers in order of appearance.
std::string describeKernels(const LlamaModel& model) {
    std::vector<std::string> kinds;
    for (int64_t b = 0; b < model.numBlocks(); ++b)
        for (Sublayer s : kAllSublayers) {
            const std::string d = model.block(b).linear(s).describe();
            if (std::find(kinds.begin(), kinds.end(), d) == kinds.end()) kinds.push_back(d);
        }
    std::string text;
    for (const auto& k : kinds) text += (text.empty() ? "" : " + ") + k;
    return text;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

SpeedReport measureDecodeSpeed(const std::string& modelPath, int promptTokens, int newTokens,
                               const CancelToken* cancel, const RuntimeOptions& runtime) {
    applyRuntime(runtime, "speed measurement");
    if (promptTokens < 1 || newTokens < 2)
        throw EngineError(modelPath, "speed measurement needs at least 1 prompt token and 2 new tokens");
    LoadedModel loaded = loadModel(modelPath);
    const int64_t context = loaded.model->config().maxSeqLen;
    // Keep prompt + generated inside the context: a tiny model's context is shorter than the defaults.
    const int64_t newCount = std::min<int64_t>(newTokens, std::max<int64_t>(2, context / 2));
    const int64_t promptCount = std::max<int64_t>(1, std::min<int64_t>(promptTokens, context - newCount));

    c10::NoGradGuard noGrad;
    Generator generator(*loaded.model, *loaded.tokenizer);
    GenerationRequest request;
    request.promptTokens = promptOf(*loaded.tokenizer, promptCount);
    request.maxNewTokens = newCount;
    request.stopAtEos = false;  // every run decodes the same number of tokens
    request.sampling.temperature = 0.0f;

    std::vector<double> prefill, decode;
    for (int run = 0; run <= kTimedRuns; ++run) {  // run 0 warms up allocators and caches
        if (cancel) cancel->throwIfCancelled();
        const GenerationResult result = generator.generate(request, {}, cancel);
        if (result.stats.stopReason == "cancelled") throw Cancelled();
        if (run == 0) continue;
        prefill.push_back(result.stats.prefillTokensPerSecond);
        decode.push_back(result.stats.decodeTokensPerSecond);
    }
    SpeedReport report;
    report.prefillTokensPerSecond = median(prefill);
    report.decodeTokensPerSecond = median(decode);
    report.promptTokens = promptCount;
    report.newTokens = newCount;
    report.threads = at::get_num_threads();
    report.runs = kTimedRuns;
    report.kernel = describeKernels(*loaded.model);
    return report;
}

}  // namespace aqlm
