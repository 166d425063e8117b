#include "app/cli/cli_common.h"
#include "engine/runtime/process_memory.h"
#include "engine/api/memory_estimate.h"
#include "engine/infer/generator.h"
#include "engine/model/model_loader.h"

#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace aqlm::cli {

int runGenerate(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions({"device", "kernel", "prompt", "max-new-tokens", "temperature", "top-k", "top-p",
                                       "repeat-penalty", "seed"}),
                   commonFlags({"no-bos"}));
    args.parse(rawArgs);
    const std::string path = requireModelArgument(args, "generate");
    const int threads = applyRuntimeArgs(args, "generation");
    // Memory not backed by a file: what the run needs beyond the mapped weights (reported in --json).
    AnonymousMemorySampler anonymousPeak;
    applyKernelPolicy(args);

    GenerationRequest request;
    request.maxNewTokens = args.getInt("max-new-tokens", 256);
    request.sampling.temperature = static_cast<float>(args.getDouble("temperature", 0.0));
    request.sampling.topK = static_cast<int>(args.getInt("top-k", 0));
    request.sampling.topP = static_cast<float>(args.getDouble("top-p", 1.0));
    request.sampling.repeatPenalty = static_cast<float>(args.getDouble("repeat-penalty", 1.0));
    request.sampling.seed = static_cast<uint64_t>(args.getInt("seed", 42));
    if (request.maxNewTokens < 0) throw std::invalid_argument("--max-new-tokens must be >= 0");
    if (request.sampling.temperature < 0) throw std::invalid_argument("--temperature must be >= 0");
    if (request.sampling.topK < 0) throw std::invalid_argument("--top-k must be >= 0");
    if (request.sampling.topP <= 0 || request.sampling.topP > 1) throw std::invalid_argument("--top-p must be in (0, 1]");
    if (request.sampling.repeatPenalty <= 0) throw std::invalid_argument("--repeat-penalty must be > 0");

    LoadOptions options;
    options.tokenizerPath = args.get("tokenizer");
    {
        const ModelInfo info = inspectModelFiles(path, options);
        requireMemory(estimateChatMemory(info, std::min<int64_t>(info.contextLength, 4096 + request.maxNewTokens)), path,
                      "Generating with this model");
    }
    const LoadedModel loaded = loadModel(path, options);
    const std::string prompt = args.get("prompt");
    request.promptTokens = loaded.tokenizer->encode(prompt, !args.has("no-bos"));
    if (request.promptTokens.empty()) throw std::invalid_argument("empty prompt with --no-bos: nothing to continue");

    // Echo the prompt as the tokenizer sees it, then stream the continuation.
    std::string echoed = loaded.tokenizer->decode(request.promptTokens);
    std::cout << echoed << std::flush;
    Generator generator(*loaded.model, *loaded.tokenizer);
    const GenerationResult result = generator.generate(request, [](int32_t, const std::string& piece) {
        std::cout << piece << std::flush;
        return true;
    });
    std::cout << "\n";
    const GenerationStats& s = result.stats;
    std::fprintf(stderr,
                 "prompt %lld tokens, generated %lld tokens (%s); time to first token %.1f ms; "
                 "prefill %.1f tok/s; decode %.1f tok/s; %d threads\n",
                 static_cast<long long>(s.promptTokens), static_cast<long long>(s.generatedTokens),
                 s.stopReason.c_str(), s.timeToFirstTokenMs, s.prefillTokensPerSecond,
                 s.decodeTokensPerSecond, threads);
    printJsonIfAsked(args, {{"tokens", result.tokens},
                            {"text", echoed + result.text},
                            {"generated_text", result.text},
                            {"prompt_tokens", s.promptTokens},
                            {"generated_tokens", s.generatedTokens},
                            {"stop_reason", s.stopReason},
                            {"time_to_first_token_ms", s.timeToFirstTokenMs},
                            {"prefill_tokens_per_second", s.prefillTokensPerSecond},
                            {"tokens_per_second", s.decodeTokensPerSecond},
                            {"peak_rss_bytes", peakResidentBytes()},
                            {"peak_anonymous_bytes", anonymousPeak.peakBytes()},
                            {"threads", threads}});
    return 0;
}

}  // namespace aqlm::cli
