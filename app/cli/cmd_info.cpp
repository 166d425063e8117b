#include "app/cli/cli_common.h"
#include "engine/model/model_loader.h"

#include <iostream>

namespace aqlm::cli {

int runInfo(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions({}), commonFlags({}));
    args.parse(rawArgs);
    const std::string path = requireModelArgument(args, "info");
    applyThreads(args);
    LoadOptions options;
    options.tokenizerPath = args.get("tokenizer");
    const LoadedModel loaded = loadModel(path, options);
    const ModelInfo& i = loaded.info;

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
    printJsonIfAsked(args, {{"path", i.path},
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
                            {"tokenizer", i.tokenizer}});
    return 0;
}

}  // namespace aqlm::cli
