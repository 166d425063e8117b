#include "app/cli/cli_common.h"
#include "app/cli/cmd_finetune.h"
#include "engine/runtime/process_memory.h"
#include "engine/api/engine_error.h"
#include "app/cli/dist_args.h"
#include "engine/quant/compression_pipeline.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace aqlm::cli {
namespace {

CancelToken g_cancel;

void onInterrupt(int) { g_cancel.cancel(); }

// Progress lines on stderr: block i/N, layer, epoch, relative error, elapsed, ETA.
class StderrProgress : public ProgressObserver {
public:
    explicit StderrProgress(bool verboseEpochs) : m_verbose(verboseEpochs), m_start(std::chrono::steady_clock::now()) {}
    void onStage(Stage stage, int64_t block, int64_t numBlocks) override {
        std::fprintf(stderr, "[%7.1fs] %s%s\n", elapsed(), stageName(stage),
                     numBlocks > 0 && stage != Stage::Done ? (" block " + std::to_string(block + 1) + "/" + std::to_string(numBlocks)).c_str() : "");
    }
    void onLayerStart(int64_t, const std::string&, int64_t index, int64_t total) override {
        m_layerIndex = index;
        m_totalLayers = total;
    }
    void onEpoch(const EpochReport& r) override {
        if (m_verbose)
            std::fprintf(stderr, "[%7.1fs]   block %lld %-18s epoch %3d  rel.error %.5f\n", elapsed(),
                         static_cast<long long>(r.block + 1), r.layer.c_str(), r.epoch, r.relError);
    }
    void onLayerDone(const LayerReport& r) override {
        ++m_layersDone;
        const double perLayer = elapsed() / m_layersDone;
        const double eta = perLayer * double(m_totalLayers - m_layerIndex - 1);
        std::fprintf(stderr, "[%7.1fs] block %lld layer %lld/%lld %-18s rel.error %.5f  %.3f bits  %d epochs  %.1fs  ETA %.0fs\n",
                     elapsed(), static_cast<long long>(r.block + 1), static_cast<long long>(m_layerIndex + 1),
                     static_cast<long long>(m_totalLayers), r.layer.c_str(), r.relError, r.bits, r.epochs, r.seconds, eta);
    }
    void onFinetuneEpoch(int64_t block, int epoch, double train, double valid) override {
        std::fprintf(stderr, "[%7.1fs]   block %lld fine-tune epoch %d  train %.6g  validation %.6g\n", elapsed(),
                     static_cast<long long>(block + 1), epoch, train, valid);
    }
    void onBlockDone(int64_t block, int64_t numBlocks, double seconds, double ppl) override {
        std::fprintf(stderr, "[%7.1fs] block %lld/%lld done in %.1fs%s\n", elapsed(), static_cast<long long>(block + 1),
                     static_cast<long long>(numBlocks), seconds, ppl > 0 ? (", held-out ppl " + std::to_string(ppl)).c_str() : "");
    }

private:
    double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }
    bool m_verbose;
    std::chrono::steady_clock::time_point m_start;
    int64_t m_layerIndex = 0, m_totalLayers = 0, m_layersDone = 0;
};

}  // namespace

CompressionOptions compressionOptionsFromArgs(const ArgParser& args) {
    CompressionOptions o;
    o.method = parseQuantMethod(args.get("method", "aqlm"));
    if (o.method == QuantMethod::Aqlm) {
        if (!args.has("scheme")) throw std::invalid_argument("--scheme MxBgG is required for AQLM (e.g. 2x8g8)");
        o.scheme = QuantScheme::parse(args.get("scheme"));
    } else {
        o.bits = static_cast<int>(args.getInt("bits", 4));
        o.groupSize = static_cast<int>(args.getInt("group", 128));
        o.actOrder = args.has("act-order");
        o.dampening = args.getDouble("dampening", 0.01);
    }
    o.calibrationFiles = args.getAll("calib");
    o.nsamples = args.getInt("nsamples", 128);
    // MiB of calibration activations kept in memory before they spill to the output folder (0: half
    // of the available memory, -1: never spill).
    const int64_t activationMiB = args.getInt("activation-memory", 0);
    o.activationMemoryBudget = activationMiB > 0 ? activationMiB << 20 : activationMiB;
    o.seqLen = args.getInt("seq-len", 0);
    o.layer.beamSize = static_cast<int>(args.getInt("beam-size", 1));
    o.layer.maxEpochs = static_cast<int>(args.getInt("max-epochs", 100));
    o.layer.relativeTolerance = args.getDouble("tolerance", 0.01);
    o.layer.codebookUpdate = parseCodebookUpdate(args.get("codebook-update", "exact"));
    o.layer.stepsPerEpoch = static_cast<int>(args.getInt("steps-per-epoch", 100));
    o.layer.solverIterations = static_cast<int>(args.getInt("solver-iterations", 16));
    o.finetuneEpochs = args.has("no-finetune") ? 0 : static_cast<int>(args.getInt("finetune-epochs", 10));
    o.evalWindowsPerBlock = args.getInt("eval-windows", 0);
    o.seed = static_cast<uint64_t>(args.getInt("seed", 0));
    o.resume = args.has("resume");
    o.layerSplit = parseLayerSplit(args.get("layer-split", "auto"));
    if (o.nsamples <= 0 || o.seqLen < 0 || o.layer.beamSize < 1 || o.layer.maxEpochs < 0 || o.finetuneEpochs < 0)
        throw std::invalid_argument("--nsamples, --seq-len, --beam-size, --max-epochs and --finetune-epochs must be positive");
    return o;
}

int runQuantize(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions(distributedValueOptions({"device", "out", "scheme", "method", "bits", "group", "dampening", "calib", "nsamples",
                                       "activation-memory",
                                       "seq-len", "beam-size", "max-epochs", "tolerance", "steps-per-epoch",
                                       "codebook-update", "solver-iterations",
                                       "finetune-epochs", "eval-windows", "seed", "pv-steps", "pv-out",
                                       "layer-split"})),
                   commonFlags({"no-finetune", "resume", "act-order", "quiet"}));
    args.parse(rawArgs);
    const std::string model = requireModelArgument(args, "quantize");
    if (!args.has("out")) throw std::invalid_argument("--out DIR is required");
    const int threads = applyRuntimeArgs(args, "compression");
    AnonymousMemorySampler anonymousPeak;  // memory beyond mapped weights and spilled activations
    const CompressionOptions options = compressionOptionsFromArgs(args);
    if (args.has("dist-store") && args.getInt("pv-steps", 0) > 0)  // the others would need rank 0's output folder
        throw std::invalid_argument("--pv-steps is not available in a distributed run; run aqlm finetune --dist-store ... on the output");
    const std::unique_ptr<ProcessGroup> group = joinProcessGroupIfAsked(args);

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    StderrProgress progress(!args.has("quiet"));  // per-epoch lines unless --quiet
    std::fprintf(stderr, "quantizing %s -> %s with %s, %d threads\n", model.c_str(), args.get("out").c_str(),
                 options.method == QuantMethod::Aqlm ? options.scheme.toString().c_str()
                                          : (std::string(quantMethodName(options.method)) + " " + intSchemeLabel(options.bits, options.groupSize)).c_str(),
                 threads);
    CompressionSummary s;
    try {
        s = compressModel(model, args.get("out"), options, &progress, &g_cancel, group.get());
    } catch (const Cancelled&) {
        std::fprintf(stderr, "cancelled: finished blocks are saved in %s; run again with --resume to continue\n",
                     args.get("out").c_str());
        return 130;
    }
    std::printf("avg bits %.4f (quantized layers), model bits %.4f, %lld bytes, peak %.0f MB, %.1f s\n", s.avgBits,
                s.modelBits, static_cast<long long>(s.bytes), s.peakMb, s.seconds);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : s.layers) layers.push_back({{"name", l.name}, {"rel_error", l.relError}, {"bits", l.bits}});
    nlohmann::json json = {{"avg_bits", s.avgBits}, {"model_bits", s.modelBits}, {"bytes", s.bytes},
                            {"peak_mb", s.peakMb},
                            {"peak_anonymous_mb", static_cast<double>(anonymousPeak.peakBytes()) / (1 << 20)}, {"seconds", s.seconds}, {"resumed_blocks", s.resumedBlocks},
                            {"layers", layers}, {"threads", threads}, {"world_size", group ? group->worldSize() : 1}};
    if (args.getInt("pv-steps", 0) > 0)  // PV-Tuning right after compression, into --pv-out (DIR-pv)
        json["pv"] = runPvAfterQuantize(model, args.get("out"), args.get("pv-out", args.get("out") + "-pv"),
                                        options.calibrationFiles, args.getInt("pv-steps", 0), options.seqLen, options.seed);
    printJsonIfAsked(args, json);
    return 0;
}

}  // namespace aqlm::cli
