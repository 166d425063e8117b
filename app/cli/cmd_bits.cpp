#include "app/cli/cli_common.h"
#include "engine/api/compression_time.h"
#include "engine/model/model_loader.h"
#include "engine/quant/bit_accounting.h"

#include <cstdio>

namespace aqlm::cli {

CompressionOptions compressionOptionsFromArgs(const ArgParser& args);

namespace {

std::string formatSeconds(double seconds) {
    char text[64];
    if (seconds < 90) std::snprintf(text, sizeof text, "%.0f s", seconds);
    else if (seconds < 5400) std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
    else if (seconds < 3 * 86400) std::snprintf(text, sizeof text, "%.1f h", seconds / 3600);
    else std::snprintf(text, sizeof text, "%.1f days", seconds / 86400);
    return text;
}

}  // namespace

int runBits(const std::vector<std::string>& rawArgs) {
    // --time measures the run's speed here, so it takes every setting that changes the run's length.
    ArgParser args(commonValueOptions({"device", "scheme", "method", "bits", "group", "dampening", "nsamples", "seq-len",
                                       "beam-size", "max-epochs", "tolerance", "steps-per-epoch", "codebook-update",
                                       "solver-iterations", "finetune-epochs", "eval-windows", "seed"}),
                   commonFlags({"act-order", "no-finetune", "time"}));
    args.parse(rawArgs);
    const std::string path = requireModelArgument(args, "bits");
    // Only the header / config.json is read: this answers instantly even for large models.
    const ModelConfig config = readModelConfig(path);
    CompressionOptions options = compressionOptionsFromArgs(args);
    const BitBudget b = computeBitBudget(config, options);
    const std::string label = options.method == QuantMethod::Aqlm ? options.scheme.toString()
                                                       : std::string(quantMethodName(options.method)) + " " + intSchemeLabel(options.bits, options.groupSize);
    std::printf("%s: %.4f bits/param over quantized layers (%lld params), %.4f bits/param whole model, "
                "%lld bytes predicted, codebooks %.1f%% of quantized bits\n",
                label.c_str(), b.avgBits, static_cast<long long>(b.quantizedParameters), b.modelBits,
                static_cast<long long>(b.predictedBytes), 100.0 * b.codebookShare);
    if (const std::string advice = codebookAdvice(b, options.method); !advice.empty())
        std::printf("warning: %s\n", advice.c_str());
    nlohmann::json json = {{"scheme", label}, {"avg_bits", b.avgBits}, {"model_bits", b.modelBits},
                           {"bytes", b.predictedBytes}, {"quantized_parameters", b.quantizedParameters},
                           {"total_parameters", b.totalParameters}, {"codebook_share", b.codebookShare}};
    if (args.has("time")) {
        options.runtime.threads = applyRuntimeArgs(args, "time estimate");
        const CompressionTimeEstimate t = estimateCompressionTime(path, options);
        std::printf("time on this machine (%d threads, measured in %.1f s): about %s", t.threads, t.probeSeconds,
                    formatSeconds(t.expectedSeconds).c_str());
        if (t.longestSeconds > t.expectedSeconds * 1.05)
            std::printf(" (%d epochs per layer; at most %s with all %d)", t.expectedEpochs,
                        formatSeconds(t.longestSeconds).c_str(), t.maxEpochs);
        std::printf("\n  layers %s, calibration passes %s, block fine-tuning %s\n", formatSeconds(t.layerSeconds).c_str(),
                    formatSeconds(t.forwardSeconds).c_str(), formatSeconds(t.finetuneSeconds).c_str());
        json["time"] = {{"expected_seconds", t.expectedSeconds}, {"longest_seconds", t.longestSeconds},
                        {"expected_epochs", t.expectedEpochs}, {"layer_seconds", t.layerSeconds},
                        {"forward_seconds", t.forwardSeconds}, {"finetune_seconds", t.finetuneSeconds},
                        {"probe_seconds", t.probeSeconds}, {"threads", t.threads}};
    }
    printJsonIfAsked(args, json);
    return 0;
}

}  // namespace aqlm::cli
