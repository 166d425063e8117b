#include "engine/quant/compression_pipeline.h"

#include "engine/api/engine_error.h"
#include "engine/api/memory_estimate.h"
#include "engine/eval/perplexity.h"
#include "engine/io/atomic_file.h"
#include "engine/io/run_state.h"
#include "engine/io/text_file.h"
#include "engine/model/attention_budget.h"
#include "engine/model/model_loader.h"
#include "engine/quant/aqlm_layer_quantizer.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/quant/bit_accounting.h"
#include "engine/quant/block_finetuner.h"
#include "engine/quant/calibration.h"
#include "engine/quant/distributed_compression.h"
#include "engine/layers/int_linear.h"
#include "engine/quant/int_quantizers.h"
#include "engine/quant/quantized_checkpoint.h"
#include "engine/quant/aqlm_layer_math.h"
#include "engine/quant/row_shards.h"
#include "engine/runtime/process_memory.h"

#include <c10/core/GradMode.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace aqlm {

void validateSchemeForModel(const ModelConfig& config, const CompressionOptions& o) {
    if (o.method == QuantMethod::Aqlm) {
        const int g = o.scheme.inGroupSize;
        for (int64_t d : {config.dim, config.hiddenDim})
            if (d % g != 0)
                throw EngineError("", "group size " + std::to_string(g) + " does not divide the input size " +
                                          std::to_string(d) + " of some layers", "choose a group size dividing " +
                                          std::to_string(config.dim) + " and " + std::to_string(config.hiddenDim));
        return;
    }
    if (o.bits < 2 || o.bits > 8)
        throw EngineError("", "integer bits = " + std::to_string(o.bits) + " is outside 2 to 8", "choose 2 to 8 bits");
    for (int64_t d : {config.dim, config.hiddenDim})
        if (o.groupSize > 0 && d % o.groupSize != 0)
            throw EngineError("", "group size " + std::to_string(o.groupSize) + " does not divide " + std::to_string(d));
}
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kRunDir = kRunFolderName;

// tr(E H E^T) / tr(W H W^T) in fp64, E = W - Wq, summed row by row. With rowGroup each rank forms
// its rows' products (two d_out x d_in x d_in fp64 products in all: a large share of a layer's time).
double relativeError(const at::Tensor& w, const at::Tensor& wq, const at::Tensor& h, ProcessGroup* rowGroup = nullptr) {
    const RowShards rows(w.size(0), rowGroup);
    const at::Tensor H = h.to(at::kDouble), W = rows.own(w).to(at::kDouble);
    const at::Tensor E = W - rows.own(wq).to(at::kDouble);
    const double error = rows.sumOverRows(aqlm_math::rowDotsDouble(at::mm(E, H), E));
    const double energy = rows.sumOverRows(aqlm_math::rowDotsDouble(at::mm(W, H), W));
    return energy > 0 ? error / energy : 0.0;
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
            {"codebook_update", codebookUpdateName(o.layer.codebookUpdate)},
            {"steps_per_epoch", o.layer.stepsPerEpoch},
            {"solver_iterations", o.layer.solverIterations},
            {"finetune_epochs", o.finetuneEpochs},
            {"seed", o.seed}};
}

// run.json is what resume reads: written like every file resume depends on.
void writeJsonAtomically(const fs::path& path, const nlohmann::json& json) {
    writeFileAtomically(path.string(), json.dump(2));
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
        const nlohmann::json saved = readRunState(state.string());
        if (saved["status"] == "complete")
            throw EngineError(out.string(), "already holds a finished compressed model", "choose another output folder");
        if (!resume)
            throw EngineError(out.string(), "holds an unfinished compression run", "resume the run to continue it");
        if (saved["options"] != defining)
            throw EngineError(state.string(), "the unfinished run used different settings",
                              "resume with the same settings or choose another output folder");
        return saved;
    }
    // A run stopped before its state was first written leaves only its own run folder: nothing of
    // the user's is in the way, so it starts again from block 0 (start and resume alike).
    bool onlyOwnRunDir = exists && !empty;
    if (onlyOwnRunDir)
        for (const auto& entry : fs::directory_iterator(out, ec))
            if (entry.path().filename() != kRunDir) onlyOwnRunDir = false;
    if (!empty && !onlyOwnRunDir)
        throw EngineError(out.string(), "output folder is not empty and holds something else",
                          "choose a new or empty folder; nothing was changed");
    if (onlyOwnRunDir) fs::remove_all(out / kRunDir, ec);
    fs::create_directories(out / kRunDir, ec);
    if (ec) throw EngineError(out.string(), "cannot create: " + ec.message());
    nlohmann::json fresh = {{"status", "running"}, {"options", defining}, {"completed_blocks", 0},
                            {"layers", nlohmann::json::array()}};
    // Written before any work, so a quit or crash during the first block leaves a resumable run.
    writeJsonAtomically(state, fresh);
    return fresh;
}

void validateBeforeWork(const ModelConfig& config, const CompressionOptions& o) {
    validateSchemeForModel(config, o);
    if (o.nsamples < 2)
        throw EngineError("", "calibration needs at least 2 samples, " + std::to_string(o.nsamples) + " were asked for",
                          "use 2 or more calibration samples");
    for (const auto& f : o.calibrationFiles) readTextFile(f);  // missing / empty / non-UTF-8 fail here
}

std::unique_ptr<Linear> quantizeLinear(const Linear& dense, const at::Tensor& hessian, const CompressionOptions& o,
                                       uint64_t seed, const std::function<void(int, double, double)>& onEpoch,
                                       const CancelToken* cancel, double& relError, int& epochs,
                                       ProcessGroup* rowGroup = nullptr) {
    const at::Tensor w = dense.denseWeight();
    if (o.method == QuantMethod::Aqlm) {
        AqlmLayerOptions layerOptions = o.layer;
        layerOptions.seed = seed;
        AqlmLayerResult r = quantizeAqlmLayer(w, hessian, o.scheme, layerOptions, onEpoch, cancel, rowGroup);
        // The file stores fp16 codebooks and scales: run with exactly what will be saved.
        auto layer = std::make_unique<AqlmLinear>(r.codes, r.codebooks.to(at::kHalf).to(at::kFloat),
                                                  r.scales.to(at::kHalf).to(at::kFloat), o.scheme);
        relError = relativeError(w, layer->denseWeight(), hessian, rowGroup);
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

double peakResidentMb() { return static_cast<double>(peakResidentBytes()) / (1024.0 * 1024.0); }

}  // namespace

namespace {

// One compression run: what every phase reads and writes.
struct Run {
    const std::string& modelPath;
    const CompressionOptions& options;
    ProgressObserver& observer;
    const CancelToken* cancel;
    ProcessGroup* group;  // null: one process
    LoadedModel loaded;
    fs::path out, runDir;
    nlohmann::json defining, state;
    int64_t seqLen = 0;
    int64_t batch = kCompressionWindowsPerPass;  // windows per forward pass
    at::Tensor calibration;        // [nsamples, seqLen] token ids
    std::vector<int32_t> heldOut;  // tokens of the quick per-block evaluation
    CompressionSummary summary;

    LlamaModel& model() { return *loaded.model; }
    int worldSize() const { return group ? group->worldSize() : 1; }
    // Rank 0 writes the output folder, snapshots and run state; the other ranks only compute.
    bool writesFiles() const { return !group || group->rank() == 0; }
    fs::path blockFile(int64_t b) const { return runDir / ("block_" + std::to_string(b) + ".safetensors"); }
};

// Rank 0 claims the output folder (or reads the state to resume) and tells the others the outcome:
// its error stops every rank with the same message.
nlohmann::json claimOutputFolder(Run& run) {
    if (!run.group) return prepareOutputFolder(run.out, run.defining, run.options.resume);
    // Ranks started with different settings would compute different things: stop before any work.
    // So would ranks that split the layers differently (their collectives would not match).
    const std::string agreed = run.defining.dump() + " layer split " + std::to_string(int(run.options.layerSplit));
    if (broadcastText(*run.group, agreed, 0) != agreed)
        throw EngineError("distributed run (rank " + std::to_string(run.group->rank()) + ")",
                          "this rank's model path or settings differ from rank 0's",
                          "start every rank with the same model, calibration files and settings");
    nlohmann::json state;
    std::exception_ptr failure;
    std::string error;
    if (run.writesFiles()) {
        try {
            state = prepareOutputFolder(run.out, run.defining, run.options.resume);
        } catch (const std::exception& e) {
            failure = std::current_exception();
            error = e.what();
        }
    }
    error = broadcastText(*run.group, error, 0);
    if (failure) std::rethrow_exception(failure);
    if (!error.empty()) throw EngineError(run.out.string(), "rank 0 cannot use the output folder: " + error);
    return nlohmann::json::parse(broadcastText(*run.group, state.dump(), 0));
}

// Loads (maps) the model, checks settings and memory, samples the calibration windows and claims
// the output folder (or reads the state of the run to resume).
void prepareRun(Run& run, const std::string& outDir) {
    const CompressionOptions& options = run.options;
    requireWritableFolder(outDir);
    run.observer.onStage(Stage::Loading, 0, 0);
    run.loaded = loadModel(run.modelPath);
    const ModelConfig& config = run.model().config();
    validateBeforeWork(config, options);
    requireMemory(estimateCompressionMemory(run.loaded.info, options), run.modelPath, "This compression");
    run.seqLen = options.seqLen > 0 ? std::min(options.seqLen, config.maxSeqLen) : config.maxSeqLen;
    run.batch = windowsPerPass(config.nHeads, run.seqLen, kCompressionWindowsPerPass);
    run.out = fs::path(outDir);
    run.runDir = run.out / kRunDir;
    run.defining = resultDefiningOptions(run.modelPath, options);

    run.observer.onStage(Stage::Calibration, 0, config.nLayers);
    const at::Tensor windows = sampleCalibrationWindows(*run.loaded.tokenizer, options.calibrationFiles,
                                                        options.nsamples + options.evalWindowsPerBlock, run.seqLen,
                                                        options.seed);
    run.state = claimOutputFolder(run);
    run.calibration = windows.narrow(0, 0, options.nsamples);
    for (int64_t i = options.nsamples; i < windows.size(0); ++i)
        for (int64_t t = 0; t < run.seqLen; ++t) run.heldOut.push_back(static_cast<int32_t>(windows[i][t].item<int64_t>()));
    for (const auto& j : run.state["layers"]) run.summary.layers.push_back(layerReportFromJson(j));
    run.summary.resumedBlocks = run.state.value("completed_blocks", int64_t(0));
}

// The embeddings of the calibration windows: the inputs of block 0.
at::Tensor embedCalibration(Run& run, ActivationStore& store) {
    at::Tensor hidden = store.allocate({run.calibration.size(0), run.calibration.size(1), run.model().config().dim});
    c10::NoGradGuard noGrad;
    for (int64_t i = 0; i < run.calibration.size(0); i += run.batch) {
        const int64_t n = std::min(run.batch, run.calibration.size(0) - i);
        hidden.narrow(0, i, n).copy_(run.model().embed(run.calibration.narrow(0, i, n)));
    }
    return hidden;
}

// Every rank receives the layers (and their reports) the others quantized, in layer order.
void shareQuantizedLayers(Run& run, int64_t b, const std::vector<int>& owners, std::vector<LayerReport>& reports) {
    int64_t index = 0;
    for (Sublayer s : kAllSublayers) {
        const int owner = owners[static_cast<size_t>(index)];
        LayerReport& report = reports[static_cast<size_t>(index++)];
        broadcastLinear(*run.group, run.model().block(b).linear(s), owner, run.options.scheme);
        at::Tensor numbers = at::tensor({report.relError, double(report.epochs), report.seconds}, at::kDouble);
        run.group->broadcast(numbers, owner);
        report.relError = numbers[0].item<double>();
        report.epochs = static_cast<int>(numbers[1].item<double>());
        report.seconds = numbers[2].item<double>();
        if (owner != run.group->rank())  // progress counts every layer, wherever it ran
            run.observer.onLayerStart(b, report.layer, b * 7 + index - 1, run.model().numBlocks() * 7);
        run.observer.onLayerDone(report);
    }
}

// Quantizes the seven projections of block b against their H, reporting each. With a group, each
// rank quantizes the layers assigned to it and then every rank receives the others' (in layer order).
void quantizeBlockLayers(Run& run, int64_t b, BlockStatistics& stats) {
    const CompressionOptions& options = run.options;
    const int64_t numBlocks = run.model().numBlocks();
    std::vector<int64_t> sizes;
    for (Sublayer s : kAllSublayers) sizes.push_back(run.model().block(b).linear(s)->outFeatures() *
                                                     run.model().block(b).linear(s)->inFeatures());
    const std::vector<int> owners = assignLayersLargestFirst(sizes, run.worldSize());
    // Rows: every rank takes part in every layer and ends with the same result; nothing to share after.
    const bool byRows = splitLayersByRows(sizes, run.worldSize(), options.layerSplit, options.method);
    std::vector<LayerReport> reports;
    int64_t index = 0;
    for (Sublayer s : kAllSublayers) {
        const std::string layerName = sublayerName(s);
        LayerReport report;
        const Linear& dense = *run.model().block(b).linear(s);
        report.dOut = dense.outFeatures();
        report.dIn = dense.inFeatures();
        report.block = b;
        report.layer = layerName;
        report.name = "model.layers." + std::to_string(b) + "." + layerName;
        report.bits = options.method == QuantMethod::Aqlm
                          ? aqlmBitsPerParameter(report.dOut, report.dIn, options.scheme)
                          : intBitsPerParameter(report.dOut, report.dIn, options.bits,
                                                options.groupSize <= 0 ? int(report.dIn) : options.groupSize);
        if (!run.group || byRows || owners[static_cast<size_t>(index)] == run.group->rank()) {
            run.observer.onLayerStart(b, layerName, b * 7 + index, numBlocks * 7);
            const auto layerStart = Clock::now();
            auto onEpoch = [&](int epoch, double objective, double rel) {
                run.observer.onEpoch({b, layerName, epoch, objective, rel});
            };
            const uint64_t seed = options.seed * 1000003ull + static_cast<uint64_t>(b) * 16 + static_cast<uint64_t>(index);
            run.model().block(b).linear(s) = quantizeLinear(dense, stats.hessians[s].to(at::kFloat), options, seed,
                                                            onEpoch, run.cancel, report.relError, report.epochs,
                                                            byRows ? run.group : nullptr);
            report.seconds = since(layerStart);
            if (!run.group || byRows) run.observer.onLayerDone(report);
        }
        reports.push_back(report);
        ++index;
    }
    if (run.group && !byRows) shareQuantizedLayers(run, b, owners, reports);
    run.summary.layers.insert(run.summary.layers.end(), reports.begin(), reports.end());
}

// Snapshot of block b and the run state naming it done: what resume starts from.
void persistBlock(Run& run, int64_t b) {
    if (!run.writesFiles()) return;
    saveBlockCheckpoint(run.model().block(b), run.blockFile(b).string(), run.model().config().ropeLayout);
    run.state["completed_blocks"] = b + 1;
    run.state["layers"] = nlohmann::json::array();
    for (const auto& l : run.summary.layers) run.state["layers"].push_back(layerReportJson(l));
    writeJsonAtomically(run.runDir / "run.json", run.state);
}

// Quantizes, fine-tunes and persists block b; returns the inputs of block b + 1.
at::Tensor compressBlock(Run& run, int64_t b, const at::Tensor& hidden, ActivationStore& store) {
    const int64_t numBlocks = run.model().numBlocks();
    const auto blockStart = Clock::now();
    run.observer.onStage(Stage::Quantizing, b, numBlocks);
    BlockStatistics stats = collectBlockStatistics(run.model(), b, hidden, run.batch, &store, run.group);
    quantizeBlockLayers(run, b, stats);
    if (run.options.method == QuantMethod::Aqlm && run.options.finetuneEpochs > 0) {
        run.observer.onStage(Stage::Finetuning, b, numBlocks);
        // Distributed: data-parallel over the windows, bit-identical to one process (every rank
        // ends with the same block, so nothing is broadcast afterwards).
        finetuneBlock(run.model(), b, hidden, stats.outputs, run.options,
                      [&](int epoch, double train, double valid) { run.observer.onFinetuneEpoch(b, epoch, train, valid); },
                      run.cancel, run.group);
    }
    stats = {};
    at::Tensor next = runBlock(run.model(), b, hidden, run.batch, &store, run.group);  // the next block sees the quantized prefix
    persistBlock(run, b);
    double ppl = -1;
    if (!run.heldOut.empty() && run.writesFiles()) {
        PerplexityOptions eval;
        eval.seqLen = run.seqLen;
        ppl = evaluatePerplexity(run.model(), run.heldOut, eval).perplexity;
    }
    run.observer.onBlockDone(b, numBlocks, since(blockStart), ppl);
    return next;
}

// Writes the Hugging Face folder, marks the run complete and removes the block snapshots.
void finishRun(Run& run) {
    const int64_t numBlocks = run.model().numBlocks();
    run.observer.onStage(Stage::Saving, numBlocks, numBlocks);
    if (!run.writesFiles()) return;
    nlohmann::json extra = {{"aqlm_studio", run.defining}};
    extra["aqlm_studio"]["world_size"] = run.worldSize();  // how it ran; not a setting resume compares
    writeHfModel(run.model(), run.out.string(), run.loaded.info.tokenizer.empty() ? "" : findTokenizerFor(run.modelPath),
                 extra);
    run.state["status"] = "complete";
    writeJsonAtomically(run.runDir / "run.json", run.state);
    std::error_code ec;
    for (int64_t b = 0; b < numBlocks; ++b) fs::remove(run.blockFile(b), ec);
    fs::remove(run.runDir / "scratch", ec);  // empty: spill files are unlinked as they are mapped
}

}  // namespace

CompressionSummary compressModel(const std::string& modelPath, const std::string& outDir,
                                 const CompressionOptions& options, ProgressObserver* observerPtr,
                                 const CancelToken* cancel, ProcessGroup* group) {
    const auto start = Clock::now();
    if (group && group->worldSize() == 1) group = nullptr;
    Run run{modelPath, options, observerOrNull(observerPtr), cancel, group};
    prepareRun(run, outDir);

    const int64_t activationBudget = options.activationMemoryBudget != 0 ? options.activationMemoryBudget
                                                                         : availableMemoryBytes() / 2;
    // Ranks on one machine share the output folder: each spills into its own scratch folder.
    const std::string scratch = run.writesFiles() ? "scratch" : "scratch-rank-" + std::to_string(group->rank());
    ActivationStore store(activationBudget, (run.runDir / scratch).string());
    at::Tensor hidden = embedCalibration(run, store);
    const int64_t numBlocks = run.model().numBlocks();
    for (int64_t b = 0; b < numBlocks; ++b) {
        if (cancel) cancel->throwIfCancelled();
        if (b < run.summary.resumedBlocks) {  // finished before: restore it and move the activations on
            if (run.writesFiles())
                loadBlockCheckpoint(run.model().block(b), run.blockFile(b).string(), run.model().config().ropeLayout);
            if (group) broadcastBlock(*group, run.model().block(b), 0, options.scheme);  // the files are rank 0's
            hidden = runBlock(run.model(), b, hidden, run.batch, &store, group);
            continue;
        }
        hidden = compressBlock(run, b, hidden, store);
    }
    finishRun(run);

    const BitBudget budget = computeBitBudget(run.model().config(), options);
    CompressionSummary summary = std::move(run.summary);
    summary.avgBits = budget.avgBits;
    summary.modelBits = budget.modelBits;
    summary.bytes = run.writesFiles() ? modelFolderBytes(run.out.string()) : 0;
    if (group) {  // rank 0 has written everything: only now is the run done for every rank
        at::Tensor bytes = at::tensor({summary.bytes}, at::kLong);
        group->broadcast(bytes, 0);
        summary.bytes = bytes[0].item<int64_t>();
        std::error_code ec;
        if (!run.writesFiles()) fs::remove(run.runDir / scratch, ec);
    }
    summary.peakMb = peakResidentMb();
    summary.seconds = since(start);
    run.observer.onStage(Stage::Done, numBlocks, numBlocks);
    return summary;
}

}  // namespace aqlm
