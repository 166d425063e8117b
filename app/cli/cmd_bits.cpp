#include "app/cli/cli_common.h"
#include "engine/io/hf_config.h"
#include "engine/io/llama2c_checkpoint.h"
#include "engine/model/model_loader.h"
#include "engine/quant/bit_accounting.h"

#include <cstdio>
#include <filesystem>

namespace aqlm::cli {

CompressionOptions compressionOptionsFromArgs(const ArgParser& args);

int runBits(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions({"scheme", "method", "bits", "group"}), commonFlags({"act-order"}));
    args.parse(rawArgs);
    const std::string path = requireModelArgument(args, "bits");
    // Only the header / config.json is read: this answers instantly even for large models.
    const ModelConfig config = detectModelFormat(path) == ModelFormat::Llama2c
                                   ? Llama2cCheckpoint(path).config()
                                   : readHfConfigFile((std::filesystem::path(path) / "config.json").string());
    const CompressionOptions options = compressionOptionsFromArgs(args);
    const BitBudget b = computeBitBudget(config, options);
    const std::string label = options.method == QuantMethod::Aqlm ? options.scheme.toString()
                                                       : std::string(quantMethodName(options.method)) + " " + intSchemeLabel(options.bits, options.groupSize);
    std::printf("%s: %.4f bits/param over quantized layers (%lld params), %.4f bits/param whole model, "
                "%lld bytes predicted, codebooks %.1f%% of quantized bits\n",
                label.c_str(), b.avgBits, static_cast<long long>(b.quantizedParameters), b.modelBits,
                static_cast<long long>(b.predictedBytes), 100.0 * b.codebookShare);
    if (const std::string advice = codebookAdvice(b, options.method); !advice.empty())
        std::printf("warning: %s\n", advice.c_str());
    printJsonIfAsked(args, {{"scheme", label}, {"avg_bits", b.avgBits}, {"model_bits", b.modelBits},
                            {"bytes", b.predictedBytes}, {"quantized_parameters", b.quantizedParameters},
                            {"total_parameters", b.totalParameters}, {"codebook_share", b.codebookShare}});
    return 0;
}

}  // namespace aqlm::cli
