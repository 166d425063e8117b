#include "app/cli/cmd_finetune.h"

#include "app/cli/cli_common.h"
#include "app/cli/dist_args.h"
#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"
#include "engine/facade/distributed_finetune.h"
#include "engine/library/model_library.h"

#include <ATen/Parallel.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace aqlm::cli {
namespace {

CancelToken g_cancel;
void onInterrupt(int) { g_cancel.cancel(); }

class StderrFinetuneProgress : public FinetuneObserver {
public:
    StderrFinetuneProgress(int64_t steps, bool quiet) : m_steps(steps), m_quiet(quiet) {}
    void onStep(const FinetuneStepReport& r) override {
        if (m_quiet) return;
        std::fprintf(stderr, "[%7.1fs] step %lld/%lld  KD loss %.5f  codes changed %lld (%.3f%%)\n", r.seconds,
                     static_cast<long long>(r.step), static_cast<long long>(m_steps), r.klLoss,
                     static_cast<long long>(r.codesChanged),
                     r.codeGroups ? 100.0 * double(r.codesChanged) / double(r.codeGroups) : 0.0);
    }
    void onEvaluation(const FinetuneEvalReport& e) override {
        std::fprintf(stderr, "  step %lld: validation KL %.5f  PPL %.4f%s\n", static_cast<long long>(e.step),
                     e.validationKl, e.validationPerplexity, e.best ? "  (best)" : "");
    }
    void onLog(const std::string& message) override { std::fprintf(stderr, "%s\n", message.c_str()); }

private:
    int64_t m_steps;
    bool m_quiet;
};

FinetuneOptions finetuneOptionsFromArgs(const ArgParser& args) {
    FinetuneOptions o;
    o.mode = parseFinetuneMode(args.get("mode", "pv"));
    o.dataFiles = args.getAll("data");
    if (o.dataFiles.empty()) throw std::invalid_argument("--data FILE is required (fine-tuning text; repeat for more files)");
    o.steps = args.getInt("steps", o.steps);
    o.tokensPerStep = args.getInt("tokens-per-step", o.tokensPerStep);
    o.seqLen = args.getInt("seq-len", 0);
    o.learningRate = args.getDouble("lr", o.learningRate);
    o.trainEmbeddings = args.has("train-embeddings");
    o.tau = args.getDouble("tau", o.tau);
    o.codeLearningRate = args.getDouble("code-lr", o.codeLearningRate);
    o.beamSize = static_cast<int>(args.getInt("beam-size", o.beamSize));
    o.trustRatio = args.getDouble("trust-ratio", o.trustRatio);
    o.deltaDecay = args.getDouble("delta-decay", o.deltaDecay);
    o.evalEvery = args.getInt("eval-every", o.evalEvery);
    o.evalWindows = args.getInt("eval-windows", o.evalWindows);
    o.validationFraction = args.getDouble("validation-fraction", o.validationFraction);
    o.patience = static_cast<int>(args.getInt("patience", o.patience));
    o.klChunkTokens = args.getInt("kl-chunk", o.klChunkTokens);
    o.seed = static_cast<uint64_t>(args.getInt("seed", 0));
    o.resume = args.has("resume");
    return o;
}

nlohmann::json summaryJson(const FinetuneSummary& s, const FinetuneOptions& o) {
    nlohmann::json evals = nlohmann::json::array();
    for (const auto& e : s.evaluations)
        evals.push_back({{"step", e.step}, {"kl", e.validationKl}, {"ppl", e.validationPerplexity}});
    return {{"mode", finetuneModeName(o.mode)}, {"steps", s.steps}, {"resumed_from_step", s.resumedFromStep},
            {"early_stopped", s.earlyStopped}, {"initial_ppl", s.initialPerplexity}, {"final_ppl", s.finalPerplexity},
            {"best_ppl", s.bestPerplexity}, {"best_step", s.bestStep}, {"initial_kl", s.initialKl},
            {"final_kl", s.finalKl}, {"best_kl", s.bestKl}, {"tokens", s.tokensUsed}, {"seconds", s.seconds},
            {"peak_mb", s.peakMb}, {"avg_bits", s.avgBits}, {"model_bits", s.modelBits}, {"bytes", s.bytes},
            {"codes_changed_per_step", s.codesChangedPerStep}, {"evaluations", evals}};
}

std::string libraryKey(const std::string& path) {
    std::string p = fs::absolute(path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

int64_t upsertModel(ModelLibrary& db, const std::string& path) {
    const std::string key = libraryKey(path);
    return db.addModel(modelRecordFromInfo(inspectModel(path), key, fs::path(key).filename().string()));
}

// The result becomes a variant of its parent (the student) in the library.
void registerVariant(const std::string& dbPath, const std::string& parent, const std::string& out,
                     const FinetuneSummary& s, const nlohmann::json& settings) {
    ModelLibrary db(dbPath);
    const int64_t parentId = upsertModel(db, parent);
    const int64_t id = upsertModel(db, out);
    const auto parentVariant = db.findVariantOf(parentId);
    const std::string scheme = parentVariant ? parentVariant->scheme : std::string();
    db.addVariant(id, parentId, "aqlm", scheme, settings.dump(), s.avgBits, s.modelBits);
}

}  // namespace

int runFinetuneCommand(const std::vector<std::string>& rawArgs) {
    ArgParser args(commonValueOptions(distributedValueOptions(
                       {"device", "teacher", "out", "data", "mode", "steps", "tokens-per-step", "seq-len", "lr", "tau",
                        "code-lr", "beam-size", "trust-ratio", "delta-decay", "eval-every", "eval-windows",
                        "validation-fraction", "patience", "kl-chunk", "seed", "library"})),
                   commonFlags({"resume", "train-embeddings", "quiet"}));
    args.parse(rawArgs);
    const std::string student = requireModelArgument(args, "finetune");
    if (!args.has("teacher")) throw std::invalid_argument("--teacher ORIGINAL is required (the model the student was compressed from)");
    if (!args.has("out")) throw std::invalid_argument("--out DIR is required");
    const int threads = applyRuntimeArgs(args, "fine-tuning");
    FinetuneRequest request{student, args.get("teacher"), args.get("out"), finetuneOptionsFromArgs(args), {}};
    request.runtime.threads = threads;  // what applyRuntimeArgs set up on this thread
    request.runtime.device = parseComputeDevice(args.get("device", "auto"));
    const std::unique_ptr<ProcessGroup> group = joinProcessGroupIfAsked(args);
    const bool writesFiles = !group || group->rank() == 0;  // rank 0 writes the output (and the library row)

    // A library that cannot take the result (read-only, damaged, not a library) is an error now,
    // not after the run.
    if (args.has("library")) ModelLibrary probe(args.get("library"));

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    StderrFinetuneProgress progress(request.options.steps, args.has("quiet"));
    std::fprintf(stderr, "fine-tuning %s (%s) against %s -> %s, %lld steps of %lld tokens, %d threads\n",
                 student.c_str(), finetuneModeName(request.options.mode), request.teacherPath.c_str(),
                 request.outDir.c_str(), static_cast<long long>(request.options.steps),
                 static_cast<long long>(request.options.tokensPerStep), threads);
    FinetuneSummary s;
    try {
        s = runDistributedFinetune(request, &progress, &g_cancel, group.get());
    } catch (const Cancelled&) {
        std::fprintf(stderr, "cancelled: the last checkpoint is kept in %s; run again with --resume to continue\n",
                     request.outDir.c_str());
        return 130;
    }
    std::printf("validation PPL %.4f -> best %.4f (step %lld), final %.4f; KL %.5f -> %.5f; %lld tokens, peak %.0f MB, %.1f s\n",
                s.initialPerplexity, s.bestPerplexity, static_cast<long long>(s.bestStep), s.finalPerplexity,
                s.initialKl, s.bestKl, static_cast<long long>(s.tokensUsed), s.peakMb, s.seconds);
    nlohmann::json json = summaryJson(s, request.options);
    json["threads"] = threads;
    json["world_size"] = group ? group->worldSize() : 1;
    if (args.has("library") && writesFiles) registerVariant(args.get("library"), student, request.outDir, s, json);
    printJsonIfAsked(args, json);
    return 0;
}

nlohmann::json runPvAfterQuantize(const std::string& teacher, const std::string& student, const std::string& outDir,
                                  const std::vector<std::string>& dataFiles, int64_t steps, int64_t seqLen,
                                  uint64_t seed) {
    FinetuneRequest request{student, teacher, outDir, {}, {}};
    request.runtime.threads = at::get_num_threads();  // the compression's thread count
    request.options.dataFiles = dataFiles;
    request.options.steps = steps;
    request.options.seqLen = seqLen;
    request.options.seed = seed;
    StderrFinetuneProgress progress(steps, false);
    std::fprintf(stderr, "PV-Tuning %s -> %s, %lld steps\n", student.c_str(), outDir.c_str(), static_cast<long long>(steps));
    const FinetuneSummary s = runFinetune(request, &progress, &g_cancel);
    std::fprintf(stderr, "PV-Tuning: validation PPL %.4f -> %.4f\n", s.initialPerplexity, s.bestPerplexity);
    return summaryJson(s, request.options);
}

}  // namespace aqlm::cli
