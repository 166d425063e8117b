// aqlm make-synthetic --shape S --out DIR: random weights in a real model's shape, written as a stream,
// so that loading and running 7B-class folders can be tested and benchmarked without a download.
#include "app/cli/cmd_make_synthetic.h"

#include "app/cli/cli_common.h"
#include "engine/eval/synthetic_hf_model.h"
#include "engine/eval/synthetic_model.h"
#include "engine/io/tokenizer.h"
#include "engine/quant/quantized_checkpoint.h"
#include "engine/runtime/process_memory.h"


#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace aqlm::cli {

namespace {

// The Llama-2 tokenizer of the shared folder: AQLM_SHARED, else AQLM_SHARED_DEFAULT, else ../shared.
std::string defaultTokenizer() {
    std::string shared = "../shared";
    if (const char* def = std::getenv("AQLM_SHARED_DEFAULT"); def && *def) shared = def;
    if (const char* env = std::getenv("AQLM_SHARED"); env && *env) shared = env;
    const std::string path = shared + "/models/llama2-tokenizer/tokenizer.model";
    if (!std::filesystem::exists(path))
        throw std::invalid_argument("no tokenizer given and " + path +
                                    " does not exist: pass --tokenizer FILE (a SentencePiece .model) or set AQLM_SHARED");
    return path;
}

DType parseHalfDtype(const std::string& s) {
    if (s == "fp16") return DType::F16;
    if (s == "bf16") return DType::BF16;
    throw std::invalid_argument("--dtype must be fp16 or bf16, not '" + s + "'");
}

double peakRssMb() { return static_cast<double>(peakResidentBytes()) / (1024.0 * 1024.0); }

// An AQLM folder of the shape: random codes, codebooks and scales (built in memory, a few GB for
// 7B: the codes are compact), 16-bit embeddings, norms and head, written like a compression result.
int writeSyntheticAqlm(const ArgParser& args, const SyntheticHfOptions& options, const std::string& out) {
    const QuantScheme scheme = QuantScheme::parse(args.get("scheme"));
    ModelConfig c;
    c.dim = options.shape.dim;
    c.hiddenDim = options.shape.hiddenDim;
    c.nLayers = options.shape.layers;
    c.nHeads = options.shape.heads;
    c.nKvHeads = options.shape.kvHeads;
    c.maxSeqLen = options.shape.maxPositions;
    c.ropeTheta = options.shape.ropeTheta;
    c.rmsNormEps = options.shape.rmsNormEps;
    c.tiedEmbeddings = false;
    c.ropeLayout = RopeLayout::RotateHalf;  // written as is: the Hugging Face order
    c.vocabSize = loadTokenizer(options.tokenizerFile, 0)->vocabSize();  // a SentencePiece .model knows its size
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::path(out) / "config.json", ec))
        throw std::invalid_argument(out + " already holds a model");
    const auto model = kernels::makeSyntheticModel(c, scheme, options.seed);
    writeHfModel(*model, out, options.tokenizerFile);
    std::printf("%s: synthetic %s %s, %lld layers, vocab %lld\n", out.c_str(), options.shape.name.c_str(),
                scheme.toString().c_str(), static_cast<long long>(c.nLayers), static_cast<long long>(c.vocabSize));
    printJsonIfAsked(args, {{"out", out}, {"shape", options.shape.name}, {"scheme", scheme.toString()},
                            {"layers", c.nLayers}, {"peak_rss_mb", peakRssMb()}});
    return 0;
}

}  // namespace

int runMakeSynthetic(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions({"shape", "layers", "dtype", "out", "seed", "shards", "scheme"}), commonFlags({"quiet"}));
    args.parse(rawArgs);
    if (!args.positional().empty())
        throw std::invalid_argument("unexpected argument '" + args.positional().front() + "' (see aqlm --help)");
    if (!args.has("shape") || !args.has("out"))
        throw std::invalid_argument("usage: aqlm make-synthetic --shape NAME --out DIR [--layers N] [--dtype fp16|bf16] "
                                    "[--seed S] [--shards K] [--tokenizer FILE]");
    SyntheticHfOptions options;
    options.shape = syntheticHfShape(args.get("shape"));
    options.shape.layers = args.getInt("layers", options.shape.layers);
    options.dtype = parseHalfDtype(args.get("dtype", "fp16"));
    options.seed = static_cast<uint64_t>(args.getInt("seed", 0));
    options.shards = static_cast<int>(args.getInt("shards", 1));
    options.tokenizerFile = args.has("tokenizer") ? args.get("tokenizer") : defaultTokenizer();
    const std::string out = args.get("out");
    if (args.has("scheme")) return writeSyntheticAqlm(args, options, out);

    const bool quiet = args.has("quiet");
    int lastTenth = -1;
    const SyntheticHfSummary summary =
        writeSyntheticHfModel(out, options, [&](uint64_t done, uint64_t total) {
            const int tenth = static_cast<int>(done * 10 / std::max<uint64_t>(total, 1));
            if (quiet || tenth == lastTenth) return;
            lastTenth = tenth;
            std::fprintf(stderr, "\r  %3d%%  %.2f of %.2f GB", tenth * 10, done / 1e9, total / 1e9);
            if (done == total) std::fprintf(stderr, "\n");
        });

    std::printf("%s: synthetic %s, %lld layers, %s, %.3f G parameters, %.2f GB in %zu file(s); vocab %lld (from %s)\n",
                out.c_str(), options.shape.name.c_str(), static_cast<long long>(options.shape.layers),
                args.get("dtype", "fp16").c_str(), summary.parameters / 1e9, summary.bytes / 1e9, summary.files.size(),
                static_cast<long long>(summary.vocabSize), options.tokenizerFile.c_str());
    printJsonIfAsked(args, {{"out", out},
                            {"shape", options.shape.name},
                            {"layers", options.shape.layers},
                            {"dim", options.shape.dim},
                            {"hidden_dim", options.shape.hiddenDim},
                            {"heads", options.shape.heads},
                            {"kv_heads", options.shape.kvHeads},
                            {"vocab", summary.vocabSize},
                            {"dtype", args.get("dtype", "fp16")},
                            {"parameters", summary.parameters},
                            {"bytes", summary.bytes},
                            {"files", summary.files},
                            {"peak_rss_mb", peakRssMb()}});
    return 0;
}

}  // namespace aqlm::cli
