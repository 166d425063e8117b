#include "app/cli/cli_common.h"
#include "engine/runtime/process_memory.h"
#include "engine/model/model_loader.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/kernels/kernel_select.h"

#include <iostream>

namespace aqlm::cli {
namespace {

// Which kernel each layer type runs for one token (decode) and for a long prompt (prefill), and why.
nlohmann::json kernelReport(const LlamaModel& model) {
    nlohmann::json layers = nlohmann::json::array();
    auto add = [&](const std::string& name, const Linear& lin) {
        nlohmann::json j{{"layer", name}, {"shape", std::to_string(lin.outFeatures()) + "x" + std::to_string(lin.inFeatures())},
                         {"describe", lin.describe()}};
        if (const auto* a = dynamic_cast<const AqlmLinear*>(&lin)) {
            const int64_t limit = kernels::matvecMaxTokens(a->scheme(), false);
            for (const auto& [key, tokens] : {std::pair<const char*, int64_t>{"decode", 1}, {"prefill", limit + 1}}) {
                const kernels::KernelChoice c = a->kernelFor(tokens);
                j[key] = {{"tokens", tokens}, {"kernel", kernels::kernelName(c.kernel)}, {"reason", c.reason}};
            }
        } else {
            j["decode"] = {{"tokens", 1}, {"kernel", "dense-gemv"}, {"reason", "not AQLM: " + lin.describe() + ", at::mv"}};
            j["prefill"] = {{"tokens", 2}, {"kernel", "dense-gemm"}, {"reason", "not AQLM: " + lin.describe() + ", BLAS GEMM"}};
        }
        layers.push_back(j);
    };
    if (model.numBlocks() > 0)
        for (Sublayer s : kAllSublayers) add(sublayerName(s), model.block(0).linear(s));
    if (model.lmHead()) add("lm_head", *model.lmHead());
    return layers;
}

}  // namespace

int runInfo(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions({}), commonFlags({"kernels"}));
    args.parse(rawArgs);
    const std::string path = requireModelArgument(args, "info");
    applyThreads(args);
    LoadOptions options;
    options.tokenizerPath = args.get("tokenizer");
    // Only the kernel report needs the layers; the description comes from the headers alone.
    const bool kernels = args.has("kernels");
    const ModelInfo i = inspectModelFiles(path, options);

    std::cout << "model:        " << i.path << "\n"
              << "format:       " << i.format << "\n"
              << "architecture: " << i.architecture << "\n"
              << "dim:          " << i.dim << "\n"
              << "layers:       " << i.nLayers << "\n"
              << "heads:        " << i.nHeads << " (head dim " << (i.dim / i.nHeads) << ")\n"
              << "kv heads:     " << i.nKvHeads << "\n"
              << "hidden size:  " << i.hiddenDim << "\n"
              << "vocab:        " << i.vocabSize << "\n"
              << "context:      " << i.contextLength << "\n"
              << "parameters:   " << i.parameters << "\n"
              << "embeddings:   " << (i.tiedEmbeddings ? "tied" : "untied") << "\n"
              << "rope theta:   " << i.ropeTheta << "\n"
              << "dtype:        " << i.dtype << "\n"
              << "bytes:        " << i.bytesOnDisk << "\n"
              << "tokenizer:    " << i.tokenizer << "\n";
    nlohmann::json kernelJson;
    if (kernels) {
        kernelJson = kernelReport(*loadModel(path, options).model);
        std::cout << "kernels (same for every layer of a type):\n";
        for (const auto& k : kernelJson)
            for (const char* phase : {"decode", "prefill"})
                std::cout << "  " << k["layer"].get<std::string>() << " [" << k["shape"].get<std::string>() << "] "
                          << phase << " (" << (phase[0] == 'p' ? std::to_string(k[phase]["tokens"].get<int64_t>()) + "+ tokens"
                                                                 : std::string("1 token"))
                          << "): " << k[phase]["kernel"].get<std::string>() << " - "
                          << k[phase]["reason"].get<std::string>() << "\n";
    }
    nlohmann::json j = {{"path", i.path},
                            {"format", i.format},
                            {"architecture", i.architecture},
                            {"dim", i.dim},
                            {"layers", i.nLayers},
                            {"heads", i.nHeads},
                            {"kv_heads", i.nKvHeads},
                            {"hidden_dim", i.hiddenDim},
                            {"vocab", i.vocabSize},
                            {"context", i.contextLength},
                            {"parameters", i.parameters},
                            {"tied_embeddings", i.tiedEmbeddings},
                            {"dtype", i.dtype},
                            {"bytes", i.bytesOnDisk},
                            {"tokenizer", i.tokenizer}};
    if (args.has("kernels")) j["kernels"] = kernelJson;
    j["peak_rss_bytes"] = peakResidentBytes();
    printJsonIfAsked(args, j);
    return 0;
}

}  // namespace aqlm::cli
