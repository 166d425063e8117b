// runFinetune: loads the student (AQLM) and its teacher, checks everything checkable before any
// work, claims the output folder (or resumes the run in it), fine-tunes, and writes the result as a
// new AQLM folder of the same scheme whose config.json names its parent.
#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"
#include "engine/api/runtime_options.h"
#include "engine/facade/distributed_finetune.h"

#include "engine/io/atomic_file.h"
#include "engine/io/text_file.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/model/model_loader.h"
#include "engine/quant/bit_accounting.h"
#include "engine/quant/model_finetuner.h"
#include "engine/quant/quantized_checkpoint.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace aqlm {

const char* finetuneModeName(FinetuneMode mode) { return mode == FinetuneMode::Pv ? "pv" : "global"; }

FinetuneMode parseFinetuneMode(const std::string& text) {
    if (text == "pv") return FinetuneMode::Pv;
    if (text == "global") return FinetuneMode::Global;
    throw EngineError("", "unknown fine-tuning mode '" + text + "'", "choose pv or global");
}

namespace {

constexpr const char* kStateDir = ".aqlm-finetune";

void validateOptions(const FinetuneOptions& o) {
    auto bad = [](const std::string& what, const std::string& hint) { throw EngineError("", what, hint); };
    if (o.dataFiles.empty()) bad("no fine-tuning text was given", "add a fine-tuning text file");
    if (o.steps < 0 || o.tokensPerStep < 1 || o.seqLen < 0) bad("steps, tokens per step and sequence length must be positive", "");
    if (!(o.learningRate > 0) || !(o.codeLearningRate >= 0)) bad("learning rates must be positive", "");
    if (o.tau < 0 || o.tau > 1) bad("tau = " + std::to_string(o.tau) + " is outside 0 to 1", "choose a fraction such as 0.01");
    if (o.beamSize < 1) bad("the beam size must be at least 1", "");
    if (o.deltaDecay < 0 || o.deltaDecay > 1) bad("delta decay must be between 0 and 1", "");
    if (o.evalEvery < 1) bad("evaluate every 1 step or more", "");
    if (o.validationFraction <= 0 || o.validationFraction >= 1) bad("the validation fraction must be between 0 and 1", "");
    for (const auto& f : o.dataFiles) readTextFile(f);  // missing / empty / non-UTF-8 fail here
}

// What decides the result: a resumed run must use the same.
nlohmann::json definingOptions(const FinetuneRequest& r, int64_t seqLen) {
    const FinetuneOptions& o = r.options;
    auto abs = [](const std::string& p) { return fs::absolute(p).lexically_normal().string(); };
    std::vector<std::string> files;
    for (const auto& f : o.dataFiles) files.push_back(abs(f));
    return {{"student", abs(r.studentPath)}, {"teacher", abs(r.teacherPath)}, {"mode", finetuneModeName(o.mode)},
            {"data", files}, {"tokens_per_step", o.tokensPerStep}, {"seq_len", seqLen}, {"lr", o.learningRate},
            {"train_embeddings", o.trainEmbeddings}, {"tau", o.tau}, {"code_lr", o.codeLearningRate},
            {"beam_size", o.beamSize}, {"trust_ratio", o.trustRatio}, {"delta_decay", o.deltaDecay},
            {"eval_every", o.evalEvery}, {"eval_windows", o.evalWindows}, {"validation_fraction", o.validationFraction},
            {"kl_chunk_tokens", o.klChunkTokens}, {"seed", o.seed}};
}

// New or empty folder, or one holding an unfinished run's state (with resume). Beside that state
// only the files of its own export can be there (a run killed while writing its result): the
// export rewrites them all, config.json last.
void prepareOutputFolder(const fs::path& out, const FinetuneRequest& r) {
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_directory(out, ec)) throw EngineError(out.string(), "exists and is not a folder");
    if (fs::exists(out) && fs::equivalent(out, r.studentPath, ec))
        throw EngineError(out.string(), "is the student model itself", "choose another output folder");
    bool onlyState = true, empty = true;
    const bool holdsState = fs::is_directory(out / kStateDir, ec);
    if (fs::exists(out, ec))
        for (const auto& e : fs::directory_iterator(out)) {
            empty = false;
            if (e.path().filename() != kStateDir && !(holdsState && e.is_regular_file(ec))) onlyState = false;
        }
    if (!empty && !onlyState)
        throw EngineError(out.string(), "output folder is not empty and holds something else",
                          "choose a new or empty folder; nothing was changed");
    if (!empty && !r.options.resume)
        throw EngineError(out.string(), "holds an unfinished fine-tuning run", "resume the run to continue it");
    fs::create_directories(out / kStateDir, ec);
    if (ec) throw EngineError(out.string(), "cannot create: " + ec.message(), "choose another output folder");
}

std::vector<int32_t> tokenizeFiles(const Tokenizer& tokenizer, const std::vector<std::string>& files) {
    std::vector<int32_t> tokens;
    for (const auto& f : files) {
        const auto t = tokenizer.encode(readTextFile(f), true);
        tokens.insert(tokens.end(), t.begin(), t.end());
    }
    return tokens;
}

void requireSameShape(const ModelConfig& s, const ModelConfig& t) {
    if (s.dim != t.dim || s.hiddenDim != t.hiddenDim || s.nLayers != t.nLayers || s.vocabSize != t.vocabSize ||
        s.nHeads != t.nHeads || s.nKvHeads != t.nKvHeads)
        throw EngineError("", "the student and the teacher have different architectures",
                          "fine-tune against the model the student was compressed from");
}

QuantScheme schemeOf(const LlamaModel& model) {
    return static_cast<const AqlmLinear&>(model.block(0).linear(Sublayer::Q)).scheme();
}

// The parent's own "aqlm_studio" record (how it was compressed), carried over.
nlohmann::json parentRecord(const std::string& studentPath) {
    const fs::path config = fs::path(studentPath) / "config.json";
    std::error_code ec;
    if (!fs::is_regular_file(config, ec)) return nullptr;
    try {
        const auto j = nlohmann::json::parse(std::ifstream(config));
        return j.value("aqlm_studio", nlohmann::json());
    } catch (const std::exception&) {
        return nullptr;
    }
}

// Ranks started with different settings would compute different things, or stop at different steps
// and leave the others waiting: compare the result-defining settings and those that decide how long
// the run goes (steps, patience, resume) with rank 0's before any work.
void requireSameSettingsAsRankZero(ProcessGroup& group, const nlohmann::json& defining, const FinetuneOptions& o) {
    nlohmann::json all = defining;
    all["steps"] = o.steps;
    all["patience"] = o.patience;
    all["resume"] = o.resume;
    const std::string mine = all.dump();
    const bool differs = broadcastText(group, mine, 0) != mine;
    at::Tensor differing = at::full({1}, differs ? 1 : 0, at::kLong);
    group.allreduceSum(differing);  // every rank, rank 0 included, stops before claiming the folder
    const std::string where = "distributed run (rank " + std::to_string(group.rank()) + ")";
    const std::string hint = "start every rank with the same student, teacher, texts and settings";
    if (differs) throw EngineError(where, "this rank's models or settings differ from rank 0's", hint);
    if (differing.item<int64_t>() > 0)
        throw EngineError(where, std::to_string(differing.item<int64_t>()) +
                                     " other rank(s) were started with models or settings that differ from rank 0's", hint);
}

// Runs `work` on rank 0 only (all of it without a group); its error reaches every rank.
template <typename Work>
void onRankZero(ProcessGroup* group, const std::string& what, Work&& work) {
    if (!group) return work();
    std::exception_ptr failure;
    std::string error;
    if (group->rank() == 0) {
        try {
            work();
        } catch (const std::exception& e) {
            failure = std::current_exception();
            error = e.what();
        }
    }
    error = broadcastText(*group, error, 0);
    if (failure) std::rethrow_exception(failure);
    if (!error.empty())
        throw EngineError("distributed run (rank " + std::to_string(group->rank()) + ")",
                          "rank 0 failed to " + what + ": " + error);
}

// The best state as a new AQLM folder whose config.json names its parent; the checkpoint goes.
void writeResult(const LlamaModel& model, const ModelInfo& info, const FinetuneRequest& request,
                 const nlohmann::json& defining, const FinetuneSummary& summary, const fs::path& out) {
    nlohmann::json extra = {{"aqlm_studio_finetune", defining}};
    extra["aqlm_studio_finetune"]["parent"] = defining["student"];
    extra["aqlm_studio_finetune"]["steps"] = summary.steps;
    extra["aqlm_studio_finetune"]["best_step"] = summary.bestStep;
    const nlohmann::json parent = parentRecord(request.studentPath);
    if (!parent.is_null()) extra["aqlm_studio"] = parent;
    writeHfModel(model, out.string(), info.tokenizer.empty() ? "" : findTokenizerFor(request.studentPath), extra);
    // The export is complete (config.json was written last). state.json goes first: a kill while
    // the folder is cleared leaves no state naming removed tensors.
    std::error_code ec;
    fs::remove(out / kStateDir / "state.json", ec);
    fs::remove_all(out / kStateDir, ec);
}

}  // namespace

FinetuneSummary runFinetune(const FinetuneRequest& request, FinetuneObserver* observer, const CancelToken* cancel) {
    return runDistributedFinetune(request, observer, cancel, nullptr);
}

FinetuneSummary runDistributedFinetune(const FinetuneRequest& request, FinetuneObserver* observer,
                                       const CancelToken* cancel, ProcessGroup* group) {
    if (group && group->worldSize() == 1) group = nullptr;
    applyRuntime(request.runtime, "fine-tuning");
    const FinetuneOptions& o = request.options;
    validateOptions(o);
    requireWritableFolder(request.outDir);  // a read-only output folder: an error before the models load
    LoadedModel teacher = loadModel(request.teacherPath);
    LoadedModel student = loadModel(request.studentPath);
    requireSameShape(student.model->config(), teacher.model->config());
    const int64_t context = student.model->config().maxSeqLen;
    const int64_t seqLen = o.seqLen > 0 ? std::min(o.seqLen, context) : context;
    const FinetuneData data = splitFinetuneData(tokenizeFiles(*teacher.tokenizer, o.dataFiles), seqLen, o.validationFraction);
    const fs::path out(request.outDir);
    const nlohmann::json defining = definingOptions(request, seqLen);
    if (group) requireSameSettingsAsRankZero(*group, defining, o);
    onRankZero(group, "use the output folder", [&] { prepareOutputFolder(out, request); });

    FinetuneSummary summary = finetuneModel(*student.model, *teacher.model, data, o, (out / kStateDir).string(),
                                            defining, observer, cancel, group);
    onRankZero(group, "write the fine-tuned model",
               [&] { writeResult(*student.model, student.info, request, defining, summary, out); });

    CompressionOptions bits;
    bits.scheme = schemeOf(*student.model);
    const BitBudget budget = computeBitBudget(student.model->config(), bits);
    summary.avgBits = budget.avgBits;
    summary.modelBits = budget.modelBits;
    if (!group || group->rank() == 0) summary.bytes = modelFolderBytes(out.string());
    if (group) {  // the others learn the size from rank 0 (they need no access to the folder)
        at::Tensor bytes = at::full({1}, summary.bytes, at::kLong);
        group->broadcast(bytes, 0);
        summary.bytes = bytes.item<int64_t>();
    }
    return summary;
}

}  // namespace aqlm
