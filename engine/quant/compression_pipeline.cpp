#include "engine/quant/compression_pipeline.h"

#include "engine/api/engine_error.h"
#include "engine/api/memory_estimate.h"
#include "engine/eval/perplexity.h"
#include "engine/io/text_file.h"
#include "engine/model/model_loader.h"
#include "engine/quant/aqlm_layer_quantizer.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/quant/bit_accounting.h"
#include "engine/quant/block_finetuner.h"
#include "engine/quant/calibration.h"
#include "engine/layers/int_linear.h"
#include "engine/quant/int_quantizers.h"
#include "engine/quant/quantized_checkpoint.h"

#include <c10/core/GradMode.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace aqlm {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kRunDir = ".aqlm-run";
constexpr int64_t kBatch = 8;

// Relative error: tr((W - Ŵ) H (W - Ŵ)^T) / tr(W H W^T).
double relativeError(const at::Tensor& w, const at::Tensor& wq, const at::Tensor& h) {
    return quantizationObjective(w, wq, h) / quantizationObjective(w, at::zeros_like(w), h);
}

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

ProgressObserver& observerOrNull(ProgressObserver* o) {
    static ProgressObserver silent;
    return o ? *o : silent;
}

// The options that decide the result: a resumed run must use the same ones.
nlohmann::json resultDefiningOptions(const std::string& modelPath, const CompressionOptions& o) {
    return {{"model", fs::absolute(modelPath).lexically_normal().string()},
            {"method", quantMethodName(o.method)},
            {"scheme", o.scheme.toString()},
            {"bits", o.bits},
            {"group_size", o.groupSize},
            {"act_order", o.actOrder},
            {"dampening", o.dampening},
            {"calibration", o.calibrationFiles},
            {"nsamples", o.nsamples},
            {"seq_len", o.seqLen},
            {"beam_size", o.layer.beamSize},
            {"max_epochs", o.layer.maxEpochs},
            {"tolerance", o.layer.relativeTolerance},
            {"steps_per_epoch", o.layer.stepsPerEpoch},
            {"finetune_epochs", o.finetuneEpochs},
            {"seed", o.seed}};
}

void writeJsonAtomically(const fs::path& path, const nlohmann::json& json) {
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp);
        if (!out) throw EngineError(tmp.string(), "cannot write");
        out << json.dump(2);
        if (!out) throw EngineError(tmp.string(), "write failed (disk full?)");
    }
    fs::rename(tmp, path);
}

nlohmann::json layerReportJson(const LayerReport& r) {
    return {{"name", r.name}, {"block", r.block}, {"layer", r.layer}, {"d_out", r.dOut}, {"d_in", r.dIn},
            {"rel_error", r.relError}, {"bits", r.bits}, {"seconds", r.seconds}, {"epochs", r.epochs}};
}

LayerReport layerReportFromJson(const nlohmann::json& j) {
    LayerReport r;
    r.name = j.at("name");
    r.block = j.at("block");
    r.layer = j.at("layer");
    r.dOut = j.at("d_out");
    r.dIn = j.at("d_in");
    r.relError = j.at("rel_error");
    r.bits = j.at("bits");
    r.seconds = j.at("seconds");
    r.epochs = j.at("epochs");
    return r;
}

// Decides whether the output folder can be used; returns the saved run state when resuming.
nlohmann::json prepareOutputFolder(const fs::path& out, const nlohmann::json& defining, bool resume) {
    const fs::path state = out / kRunDir / "run.json";
    std::error_code ec;
    const bool exists = fs::exists(out, ec);
    if (exists && !fs::is_directory(out, ec)) throw EngineError(out.string(), "exists and is not a folder");
    const bool empty = !exists || fs::is_empty(out, ec);
    if (fs::exists(state, ec)) {
        nlohmann::json saved;
        try {
            saved = nlohmann::json::parse(std::ifstream(state));
        } catch (const std::exception& e) {
            throw EngineError(state.string(), std::string("unreadable run state: ") + e.what());
        }
        if (saved.value("status", "") == "complete")
            throw EngineError(out.string(), "already holds a finished compressed model", "choose another output folder");
        if (!resume)
            throw EngineError(out.string(), "holds an unfinished compression run", "resume the run to continue it");
        if (saved.value("options", nlohmann::json()) != defining)
            throw EngineError(state.string(), "the unfinished run used different settings",
                              "resume with the same settings or choose another output folder");
        return saved;
    }
    if (!empty) throw EngineError(out.string(), "output folder is not empty and holds something else",
                                  "choose a new or empty folder; nothing was changed");
    fs::create_directories(out / kRunDir, ec);
    if (ec) throw EngineError(out.string(), "cannot create: " + ec.message());
    return {{"status", "running"}, {"options", defining}, {"completed_blocks", 0}, {"layers", nlohmann::json::array()}};
}

void validateBeforeWork(const ModelConfig& config, const CompressionOptions& o) {
    if (o.method == QuantMethod::Aqlm) {
        const int g = o.scheme.inGroupSize;
        for (int64_t d : {config.dim, config.hiddenDim})
            if (d % g != 0)
                throw EngineError("", "group size " + std::to_string(g) + " does not divide the input size " +
                                          std::to_string(d) + " of some layers", "choose a group size dividing " +
                                          std::to_string(config.dim) + " and " + std::to_string(config.hiddenDim));
    } else {
        if (o.bits < 2 || o.bits > 8)
            throw EngineError("", "integer bits = " + std::to_string(o.bits) + " is outside 2 to 8", "choose 2 to 8 bits");
        for (int64_t d : {config.dim, config.hiddenDim})
            if (o.groupSize > 0 && d % o.groupSize != 0)
                throw EngineError("", "group size " + std::to_string(o.groupSize) + " does not divide " + std::to_string(d));
    }
    if (o.nsamples < 2)
        throw EngineError("", "calibration needs at least 2 samples, " + std::to_string(o.nsamples) + " were asked for",
                          "use 2 or more calibration samples");
    for (const auto& f : o.calibrationFiles) readTextFile(f);  // missing / empty / non-UTF-8 fail here
}

std::unique_ptr<Linear> quantizeLinear(const Linear& dense, const at::Tensor& hessian, const CompressionOptions& o,
                                       uint64_t seed, const std::function<void(int, double, double)>& onEpoch,
                                       const CancelToken* cancel, double& relError, int& epochs) {
    const at::Tensor w = dense.denseWeight();
    if (o.method == QuantMethod::Aqlm) {
        AqlmLayerOptions layerOptions = o.layer;
        layerOptions.seed = seed;
        AqlmLayerResult r = quantizeAqlmLayer(w, hessian, o.scheme, layerOptions, onEpoch, cancel);
        // The file stores fp16 codebooks and scales: run with exactly what will be saved.
        auto layer = std::make_unique<AqlmLinear>(r.codes, r.codebooks.to(at::kHalf).to(at::kFloat),
                                                  r.scales.to(at::kHalf).to(at::kFloat), o.scheme);
        relError = relativeError(w, layer->denseWeight(), hessian);
        epochs = r.epochs;
        return layer;
    }
    IntQuantized q;
    if (o.method == QuantMethod::Rtn) {
        q = quantizeRtn(w, o.bits, o.groupSize);
    } else {
        GptqOptions g;
        g.bits = o.bits;
        g.groupSize = o.groupSize;
        g.dampening = o.dampening;
        g.actOrder = o.actOrder;
        q = quantizeGptq(w, hessian, g, cancel);
    }
    q.scales = q.scales.to(at::kHalf).to(at::kFloat);
    q.zeros = q.zeros.to(at::kHalf).to(at::kFloat);
    auto layer = std::make_unique<IntLinear>(q, o.method);
    relError = relativeError(w, layer->denseWeight(), hessian);
    epochs = 0;
    if (onEpoch) onEpoch(0, 0, relError);
    return layer;
}

int64_t folderBytes(const fs::path& dir) {
    int64_t total = 0;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) total += static_cast<int64_t>(e.file_size());
    return total;
}

double peakResidentMb() {
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

}  // namespace

CompressionSummary compressModel(const std::string& modelPath, const std::string& outDir,
                                 const CompressionOptions& options, ProgressObserver* observerPtr,
                                 const CancelToken* cancel) {
    ProgressObserver& observer = observerOrNull(observerPtr);
    const auto start = Clock::now();
    observer.onStage("loading", 0, 0);
    LoadedModel loaded = loadModel(modelPath);
    LlamaModel& model = *loaded.model;
    const ModelConfig& config = model.config();
    validateBeforeWork(config, options);
    requireMemory(estimateCompressionMemory(loaded.info, options), modelPath, "This compression");
    const int64_t seqLen = options.seqLen > 0 ? std::min(options.seqLen, config.maxSeqLen) : config.maxSeqLen;
    const fs::path out(outDir);
    const nlohmann::json defining = resultDefiningOptions(modelPath, options);

    observer.onStage("calibration", 0, config.nLayers);
    const at::Tensor windows = sampleCalibrationWindows(*loaded.tokenizer, options.calibrationFiles,
                                                        options.nsamples + options.evalWindowsPerBlock, seqLen, options.seed);
    nlohmann::json state = prepareOutputFolder(out, defining, options.resume);
    const fs::path runDir = out / kRunDir;
    const at::Tensor calibration = windows.narrow(0, 0, options.nsamples);
    std::vector<int32_t> heldOut;
    for (int64_t i = options.nsamples; i < windows.size(0); ++i)
        for (int64_t t = 0; t < seqLen; ++t) heldOut.push_back(static_cast<int32_t>(windows[i][t].item<int64_t>()));

    CompressionSummary summary;
    for (const auto& j : state["layers"]) summary.layers.push_back(layerReportFromJson(j));
    const int64_t resumeFrom = state.value("completed_blocks", int64_t(0));
    summary.resumedBlocks = resumeFrom;

    const int64_t activationBudget = options.activationMemoryBudget != 0 ? options.activationMemoryBudget
                                                                : availableMemoryBytes() / 2;
    ActivationStore store(activationBudget, (runDir / "scratch").string());
    at::Tensor hidden = store.allocate({calibration.size(0), calibration.size(1), config.dim});
    {
        c10::NoGradGuard noGrad;
        for (int64_t i = 0; i < calibration.size(0); i += kBatch) {
            const int64_t n = std::min(kBatch, calibration.size(0) - i);
            hidden.narrow(0, i, n).copy_(model.embed(calibration.narrow(0, i, n)));
        }
    }
    const int64_t numBlocks = model.numBlocks();
    for (int64_t b = 0; b < numBlocks; ++b) {
        if (cancel) cancel->throwIfCancelled();
        const fs::path blockFile = runDir / ("block_" + std::to_string(b) + ".safetensors");
        if (b < resumeFrom) {
            loadBlockCheckpoint(model.block(b), blockFile.string(), config.ropeLayout);
            hidden = runBlock(model, b, hidden, kBatch, &store);
            continue;
        }
        const auto blockStart = Clock::now();
        observer.onStage("quantizing", b, numBlocks);
        BlockStatistics stats = collectBlockStatistics(model, b, hidden, kBatch, &store);
        int64_t index = 0;
        for (Sublayer s : kAllSublayers) {
            const std::string layerName = sublayerName(s);
            observer.onLayerStart(b, layerName, b * 7 + index, numBlocks * 7);
            const auto layerStart = Clock::now();
            auto onEpoch = [&](int epoch, double objective, double rel) {
                observer.onEpoch({b, layerName, epoch, objective, rel});
            };
            LayerReport report;
            const Linear& dense = *model.block(b).linear(s);
            report.dOut = dense.outFeatures();
            report.dIn = dense.inFeatures();
            const uint64_t seed = options.seed * 1000003ull + static_cast<uint64_t>(b) * 16 + static_cast<uint64_t>(index);
            model.block(b).linear(s) = quantizeLinear(dense, stats.hessians[s].to(at::kFloat), options, seed, onEpoch,
                                                      cancel, report.relError, report.epochs);
            report.block = b;
            report.layer = layerName;
            report.name = "model.layers." + std::to_string(b) + "." + layerName;
            report.bits = options.method == QuantMethod::Aqlm
                              ? aqlmBitsPerParameter(report.dOut, report.dIn, options.scheme)
                              : intBitsPerParameter(report.dOut, report.dIn, options.bits,
                                                    options.groupSize <= 0 ? int(report.dIn) : options.groupSize);
            report.seconds = since(layerStart);
            observer.onLayerDone(report);
            summary.layers.push_back(report);
            ++index;
        }
        if (options.method == QuantMethod::Aqlm && options.finetuneEpochs > 0) {
            observer.onStage("finetuning", b, numBlocks);
            finetuneBlock(model, b, hidden, stats.outputs, options,
                          [&](int epoch, double train, double valid) { observer.onFinetuneEpoch(b, epoch, train, valid); },
                          cancel);
        }
        stats = {};
        hidden = runBlock(model, b, hidden, kBatch, &store);  // next block sees the quantized prefix

        saveBlockCheckpoint(model.block(b), blockFile.string(), config.ropeLayout);
        state["completed_blocks"] = b + 1;
        state["layers"] = nlohmann::json::array();
        for (const auto& l : summary.layers) state["layers"].push_back(layerReportJson(l));
        writeJsonAtomically(runDir / "run.json", state);

        double ppl = -1;
        if (!heldOut.empty()) {
            PerplexityOptions eval;
            eval.seqLen = seqLen;
            ppl = evaluatePerplexity(model, heldOut, eval).perplexity;
        }
        observer.onBlockDone(b, numBlocks, since(blockStart), ppl);
    }

    observer.onStage("saving", numBlocks, numBlocks);
    nlohmann::json extra = {{"aqlm_studio", defining}};
    writeHfModel(model, out.string(), loaded.info.tokenizer.empty() ? "" : findTokenizerFor(modelPath), extra);
    state["status"] = "complete";
    writeJsonAtomically(runDir / "run.json", state);
    for (int64_t b = 0; b < numBlocks; ++b) fs::remove(runDir / ("block_" + std::to_string(b) + ".safetensors"));

    CompressionOptions budgetOptions = options;
    const BitBudget budget = computeBitBudget(config, budgetOptions);
    summary.avgBits = budget.avgBits;
    summary.modelBits = budget.modelBits;
    summary.bytes = folderBytes(out);
    summary.peakMb = peakResidentMb();
    summary.seconds = since(start);
    observer.onStage("done", numBlocks, numBlocks);
    return summary;
}

}  // namespace aqlm
