#include "app/cli/cli_common.h"
#include "engine/api/memory_estimate.h"
#include "engine/runtime/process_memory.h"
#include "engine/eval/perplexity.h"
#include "engine/io/text_file.h"
#include "engine/model/model_loader.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>
#include <stdexcept>

namespace aqlm::cli {

int runPerplexity(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions({"device", "kernel", "data", "seq-len", "max-windows", "batch"}), commonFlags({}));
    args.parse(rawArgs);
    const std::string path = requireModelArgument(args, "perplexity");
    if (!args.has("data")) throw std::invalid_argument("--data FILE is required");
    const int threads = applyRuntimeArgs(args, "evaluation");
    AnonymousMemorySampler anonymousPeak;  // memory beyond the mapped weights, for --json
    applyKernelPolicy(args);

    PerplexityOptions options;
    options.seqLen = args.getInt("seq-len", 0);
    options.maxWindows = args.getInt("max-windows", 0);
    options.batchWindows = args.getInt("batch", 4);
    if (options.seqLen < 0 || options.maxWindows < 0 || options.batchWindows <= 0)
        throw std::invalid_argument("--seq-len, --max-windows and --batch must be positive");

    const std::string dataPath = args.get("data");
    const std::string text = readTextFile(dataPath);  // validates before the model loads
    LoadOptions loadOptions;
    loadOptions.tokenizerPath = args.get("tokenizer");
    requireMemory(estimatePerplexityMemory(inspectModelFiles(path, loadOptions), options.seqLen), path, "This evaluation");
    const LoadedModel loaded = loadModel(path, loadOptions);
    const std::vector<int32_t> tokens = loaded.tokenizer->encode(text, /*addBos=*/true);

    // A terminal gets one updating line; a log file gets a line per ~10% of the windows.
    const bool terminal = ::isatty(::fileno(stderr));
    const int64_t context = loaded.model->config().maxSeqLen;
    const int64_t seqLen = options.seqLen > 0 ? std::min(options.seqLen, context) : context;
    int64_t total = static_cast<int64_t>(tokens.size()) / seqLen;
    if (options.maxWindows > 0) total = std::min(total, options.maxWindows);
    int64_t nextReport = 0;
    const EvalReport r = evaluatePerplexity(*loaded.model, tokens, options, [&](const EvalReport& soFar) {
        if (terminal) {
            std::fprintf(stderr, "\rwindows %lld  ppl %.4f  (%.1f s)", static_cast<long long>(soFar.windows),
                         soFar.perplexity, soFar.seconds);
        } else if (soFar.windows >= nextReport) {
            std::fprintf(stderr, "windows %lld/%lld  ppl %.4f  (%.1f s)\n", static_cast<long long>(soFar.windows),
                         static_cast<long long>(total), soFar.perplexity, soFar.seconds);
            nextReport = soFar.windows + std::max<int64_t>(1, total / 10);
        }
        std::fflush(stderr);
    });
    if (terminal) std::fprintf(stderr, "\n");
    std::printf("perplexity %.4f +- %.4f over %lld windows of %lld tokens (%lld predictions), "
                "mean NLL %.6f, %.1f s, %d threads\n",
                r.perplexity, r.stdError, static_cast<long long>(r.windows), static_cast<long long>(r.seqLen),
                static_cast<long long>(r.predictions), r.meanNll, r.seconds, threads);
    std::fflush(stdout);
    printJsonIfAsked(args, {{"perplexity", r.perplexity},
                            {"std_error", r.stdError},
                            {"mean_nll", r.meanNll},
                            {"windows", r.windows},
                            {"predictions", r.predictions},
                            {"tokens", r.tokens},
                            {"seq_len", r.seqLen},
                            {"seconds", r.seconds},
                            {"data", dataPath},
                            {"threads", threads},
                            {"peak_rss_bytes", peakResidentBytes()},
                            {"peak_anonymous_bytes", anonymousPeak.peakBytes()}});
    return 0;
}

}  // namespace aqlm::cli
