#include "engine/quant/model_finetuner.h"

#include "engine/api/engine_error.h"
#include "engine/io/atomic_file.h"
#include "engine/model/attention_budget.h"
#include "engine/quant/finetune_checkpoint.h"
#include "engine/quant/kd_loss.h"
#include "engine/quant/ordered_gradient_sum.h"
#include "engine/quant/pv_update.h"
#include "engine/quant/trainable_student.h"
#include "engine/runtime/process_memory.h"

#include <c10/core/GradMode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace aqlm {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kMaxWindowsPerPass = 4;

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

at::Tensor tokensTensor(const std::vector<int32_t>& tokens, int64_t begin, int64_t count) {
    return at::tensor(std::vector<int64_t>(tokens.begin() + begin, tokens.begin() + begin + count), at::kLong);
}

// The windows of one step: a function of (seed, step) only, so a resumed run draws the same.
at::Tensor stepWindows(const FinetuneData& data, int64_t windows, uint64_t seed, int64_t step) {
    std::mt19937_64 rng(seed * 1000003ull + static_cast<uint64_t>(step) * 7919ull + 17);
    const int64_t last = static_cast<int64_t>(data.train.size()) - data.seqLen;
    std::uniform_int_distribution<int64_t> start(0, std::max<int64_t>(0, last));
    at::Tensor out = at::empty({windows, data.seqLen}, at::kLong);
    for (int64_t w = 0; w < windows; ++w) out[w].copy_(tokensTensor(data.train, start(rng), data.seqLen));
    return out;
}

struct Evaluation {
    double kl = 0, perplexity = 0;
};

// Mean KL per token and the student's perplexity on the held-out windows. With a group, batch k
// runs on rank k % worldSize and the batch totals are added in batch order on every rank.
Evaluation evaluate(const LlamaModel& student, const LlamaModel& teacher, const at::Tensor& windows,
                    int64_t chunkTokens, int64_t batch, ProcessGroup* group) {
    c10::NoGradGuard noGrad;
    const int world = group ? group->worldSize() : 1, me = group ? group->rank() : 0;
    const int64_t batches = (windows.size(0) + batch - 1) / batch;
    at::Tensor totals = at::zeros({batches, 4}, at::kDouble);  // KL, NLL, tokens, predictions
    for (int64_t k = 0; k < batches; ++k) {
        if (shardOwner(k, world) != me) continue;
        const int64_t i = k * batch;
        const at::Tensor w = windows.narrow(0, i, std::min(batch, windows.size(0) - i));
        at::Tensor targets = at::full_like(w, -1);
        targets.narrow(1, 0, w.size(1) - 1).copy_(w.narrow(1, 1, w.size(1) - 1));
        const KdChunkTotals t = chunkedKd(teacher, trunkHidden(teacher, w), student, trunkHidden(student, w),
                                          chunkTokens, 0.0, targets);
        totals[k][0] = t.klSum;
        totals[k][1] = t.nllSum;
        totals[k][2] = double(t.tokens);
        totals[k][3] = double(t.predictions);
    }
    shareOwnedRows(group, totals);
    double kl = 0, nll = 0;
    int64_t tokens = 0, predictions = 0;
    for (int64_t k = 0; k < batches; ++k) {
        kl += totals[k][0].item<double>();
        nll += totals[k][1].item<double>();
        tokens += static_cast<int64_t>(totals[k][2].item<double>());
        predictions += static_cast<int64_t>(totals[k][3].item<double>());
    }
    return {kl / double(std::max<int64_t>(tokens, 1)), std::exp(nll / double(std::max<int64_t>(predictions, 1)))};
}

nlohmann::json evalJson(const FinetuneEvalReport& e) {
    return {{"step", e.step}, {"kl", e.validationKl}, {"ppl", e.validationPerplexity}, {"best", e.best}};
}

// Everything a run carries between steps besides the tensors.
struct RunState {
    int64_t step = 0;
    int64_t bestStep = 0;
    double bestKl = 0, bestPerplexity = 0;
    double initialKl = 0, initialPerplexity = 0;
    int sinceImprovement = 0;
    bool stopped = false;
    std::vector<FinetuneEvalReport> evaluations;

    nlohmann::json toJson(const nlohmann::json& defining) const {
        nlohmann::json evals = nlohmann::json::array();
        for (const auto& e : evaluations) evals.push_back(evalJson(e));
        return {{"defining", defining}, {"step", step}, {"best_step", bestStep}, {"best_kl", bestKl},
                {"best_ppl", bestPerplexity}, {"initial_kl", initialKl}, {"initial_ppl", initialPerplexity},
                {"since_improvement", sinceImprovement}, {"stopped", stopped}, {"evaluations", evals}};
    }
    void fromJson(const nlohmann::json& j) {
        step = j.at("step");
        bestStep = j.at("best_step");
        bestKl = j.at("best_kl");
        bestPerplexity = j.at("best_ppl");
        initialKl = j.at("initial_kl");
        initialPerplexity = j.at("initial_ppl");
        sinceImprovement = j.at("since_improvement");
        stopped = j.at("stopped");
        for (const auto& e : j.at("evaluations"))
            evaluations.push_back({e.at("step").get<int64_t>(), e.at("kl").get<double>(), e.at("ppl").get<double>(),
                                   e.at("best").get<bool>()});
    }
};

class Finetuner {
public:
    Finetuner(LlamaModel& student, const LlamaModel& teacher, const FinetuneData& data, const FinetuneOptions& o,
              const std::string& stateDir, const nlohmann::json& defining, FinetuneObserver* observer,
              const CancelToken* cancel, ProcessGroup* group)
        : m_student(student), m_teacher(teacher), m_data(data), m_o(o), m_dir(stateDir), m_defining(defining),
          m_observer(observer), m_cancel(cancel), m_group(group),
          m_trainable(student, o.trainEmbeddings, o.mode == FinetuneMode::Pv) {
        m_windowsPerStep = std::max<int64_t>(1, o.tokensPerStep / data.seqLen);
        m_batch = windowsPerPass(student.config().nHeads, data.seqLen, kMaxWindowsPerPass);
        int64_t validWindows = static_cast<int64_t>(data.validation.size()) / data.seqLen;
        if (o.evalWindows > 0) validWindows = std::min(validWindows, o.evalWindows);
        m_validation = tokensTensor(data.validation, 0, validWindows * data.seqLen).view({validWindows, data.seqLen});
        m_adam.learningRate = o.learningRate;
        m_pv = {o.tau, o.codeLearningRate, o.beamSize, o.trustRatio, o.deltaDecay};
    }

    FinetuneSummary run() {
        const auto start = Clock::now();
        FinetuneSummary summary;
        if (!(m_o.resume && resumeFromCheckpoint())) {
            const Evaluation e = evaluateNow();
            m_state.initialKl = m_state.bestKl = e.kl;
            m_state.initialPerplexity = m_state.bestPerplexity = e.perplexity;
            m_best = cloneTensors(m_trainable.modelState());
            record({0, e.kl, e.perplexity, true});
        }
        summary.resumedFromStep = m_state.step;
        const int64_t groups = m_trainable.codeGroups();
        while (m_state.step < m_o.steps && !m_state.stopped) {
            if (m_cancel) m_cancel->throwIfCancelled();
            const int64_t step = ++m_state.step;
            FinetuneStepReport report;
            report.step = step;
            report.codeGroups = groups;
            report.klLoss = trainStep(step, report.codesChanged);
            report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
            summary.codesChangedPerStep.push_back(report.codesChanged);
            if (m_observer) m_observer->onStep(report);
            if (step % std::max<int64_t>(1, m_o.evalEvery) == 0 || step == m_o.steps) evaluateAndCheckpoint();
        }
        m_trainable.loadState(m_best);
        m_trainable.finish();

        summary.steps = m_state.step;
        summary.earlyStopped = m_state.stopped;
        summary.initialKl = m_state.initialKl;
        summary.initialPerplexity = m_state.initialPerplexity;
        summary.bestKl = m_state.bestKl;
        summary.bestPerplexity = m_state.bestPerplexity;
        summary.bestStep = m_state.bestStep;
        summary.finalKl = m_state.evaluations.back().validationKl;
        summary.finalPerplexity = m_state.evaluations.back().validationPerplexity;
        summary.tokensUsed = m_state.step * m_windowsPerStep * m_data.seqLen;
        summary.evaluations = m_state.evaluations;
        summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        summary.peakMb = static_cast<double>(peakResidentBytes()) / (1024.0 * 1024.0);
        return summary;
    }

private:
    bool writesFiles() const { return !m_group || m_group->rank() == 0; }

    // What the loss reaches directly: every Ŵ and the parameters outside the decode (norms, and the
    // embedding / head when trained). The codebooks and scales get theirs from the summed Ŵ gradients.
    std::vector<at::Tensor> lossLeaves() {
        std::vector<at::Tensor> leaves;
        std::vector<const at::TensorImpl*> decoded;
        for (auto& l : m_trainable.layers()) {
            leaves.push_back(l.weight);
            decoded.push_back(l.codebooks.unsafeGetTensorImpl());
            decoded.push_back(l.scales.unsafeGetTensorImpl());
        }
        for (auto& p : m_trainable.parameters())
            if (std::find(decoded.begin(), decoded.end(), p.param.unsafeGetTensorImpl()) == decoded.end())
                leaves.push_back(p.param);
        return leaves;
    }

    // One optimizer step; returns the mean KL per token of its windows. The step's windows go in
    // passes of m_batch; the step's gradient is the sum of the passes' gradients in pass order
    // (pass p on rank p % worldSize, sumShardGradients), the same on every rank and with one process.
    double trainStep(int64_t step, int64_t& codesChanged) {
        const at::Tensor windows = stepWindows(m_data, m_windowsPerStep, m_o.seed, step);
        const double scale = 1.0 / double(windows.numel());
        m_trainable.beginStep();
        auto passGradient = [&](int64_t pass) {
            if (m_cancel) m_cancel->throwIfCancelled();
            const int64_t i = pass * m_batch;
            const at::Tensor w = windows.narrow(0, i, std::min(m_batch, windows.size(0) - i));
            at::Tensor teacherHidden;
            {
                c10::NoGradGuard noGrad;
                teacherHidden = trunkHidden(m_teacher, w);
            }
            c10::AutoGradMode enable(true);
            const at::Tensor studentHidden = trunkHidden(m_student, w);
            return chunkedKd(m_teacher, teacherHidden, m_student, studentHidden, m_o.klChunkTokens, scale).klSum;
        };
        const int64_t passes = (windows.size(0) + m_batch - 1) / m_batch;
        double klSum = 0;
        for (double kl : sumShardGradients(lossLeaves(), passes, passGradient, m_group)) klSum += kl;
        m_trainable.propagateToParameters();
        m_trainable.adamStep(m_adam, step);
        codesChanged = 0;
        if (m_o.mode == FinetuneMode::Pv)
            for (auto& layer : m_trainable.layers()) codesChanged += pvUpdateLayer(layer, layer.weight.grad(), m_pv, step);
        return klSum * scale;
    }

    Evaluation evaluateNow() {
        m_trainable.beginStep();  // Ŵ from the current codes and parameters
        return evaluate(m_student, m_teacher, m_validation, m_o.klChunkTokens, m_batch, m_group);
    }

    void record(const FinetuneEvalReport& e) {
        m_state.evaluations.push_back(e);
        if (m_observer) m_observer->onEvaluation(e);
    }

    void evaluateAndCheckpoint() {
        const Evaluation e = evaluateNow();
        const bool better = e.perplexity < m_state.bestPerplexity;
        if (better) {
            m_state.bestPerplexity = e.perplexity;
            m_state.bestKl = e.kl;
            m_state.bestStep = m_state.step;
            m_state.sinceImprovement = 0;
            m_best = cloneTensors(m_trainable.modelState());
        } else if (m_o.patience > 0 && ++m_state.sinceImprovement >= m_o.patience) {
            m_state.stopped = true;
        }
        record({m_state.step, e.kl, e.perplexity, better});
        saveCheckpoint();
    }

    fs::path jsonPath() const { return fs::path(m_dir) / "state.json"; }

    // Rank 0 alone writes the checkpoint (every rank holds the same state). A checkpoint is two
    // files, each written atomically: the tensors of step N as state-N.safetensors, then state.json
    // naming that file. state.json is the commit: a kill between the two leaves the previous
    // state.json and the previous tensors it names (a single state.safetensors overwritten in place
    // would no longer match it and the run could not resume). The previous tensors are removed only
    // after the new state.json is in place.
    void saveCheckpoint() {
        if (!writesFiles()) return;
        NamedTensors all = m_trainable.state();
        for (const auto& [name, t] : m_best) all.emplace_back("best/" + name, t);
        const std::string step = std::to_string(m_state.step);
        const std::string tensors = "state-" + step + ".safetensors";
        saveNamedTensors((fs::path(m_dir) / tensors).string(), all, {{"format", "aqlm-studio-finetune"}, {"step", step}});
        nlohmann::json j = m_state.toJson(m_defining);
        j["tensors"] = tensors;
        writeFileAtomically(jsonPath().string(), j.dump(2));
        removeStaleTensors(tensors);
    }

    // Every tensors file but the one state.json names: the one it named before, or the newer one
    // of a checkpoint killed before its state.json was written.
    void removeStaleTensors(const std::string& keep) const {
        std::error_code ec;
        std::vector<fs::path> stale;
        for (const auto& e : fs::directory_iterator(m_dir, ec)) {
            const std::string name = e.path().filename().string();
            if (name != keep && name.rfind("state", 0) == 0 &&
                (endsWith(name, ".safetensors") || endsWith(name, ".safetensors.tmp")))
                stale.push_back(e.path());
        }
        for (const auto& p : stale) fs::remove(p, ec);
    }

    // The checkpoint's state.json (null when there is none) and tensors, as rank 0 reads them.
    nlohmann::json readCheckpoint(NamedTensors& all) {
        std::error_code ec;
        if (!fs::exists(jsonPath(), ec)) return nullptr;
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(std::ifstream(jsonPath()));
            RunState().fromJson(j);  // every field there and of its type, or the error below names the file
        } catch (const std::exception& e) {
            throw EngineError(jsonPath().string(), std::string("unreadable fine-tuning state: ") + e.what());
        }
        if (j.value("defining", nlohmann::json()) != m_defining)
            throw EngineError(jsonPath().string(), "the unfinished fine-tuning run used different settings",
                              "resume with the same settings or choose another output folder");
        // Checkpoints written before the tensors were named by step kept them in state.safetensors.
        if (j.contains("tensors") && !j["tensors"].is_string())
            throw EngineError(jsonPath().string(), "unreadable fine-tuning state: 'tensors' is not a file name");
        const std::string tensors = j.value("tensors", std::string("state.safetensors"));
        if (tensors.empty() || tensors.find('/') != std::string::npos || tensors.find("..") != std::string::npos)
            throw EngineError(jsonPath().string(), "names tensors outside its folder: '" + tensors + "'");
        const fs::path tensorPath = fs::path(m_dir) / tensors;
        std::map<std::string, std::string> meta;
        all = loadNamedTensors(tensorPath.string(), &meta);
        if (meta["step"] != std::to_string(j.at("step").get<int64_t>()))
            throw EngineError(tensorPath.string(), "does not belong to the step state.json names");
        removeStaleTensors(tensors);
        return j;
    }

    // Distributed: rank 0 reads the checkpoint and sends it (or its error) to the others, so they
    // need no access to the output folder.
    nlohmann::json shareCheckpoint(NamedTensors& all) {
        if (!m_group) return readCheckpoint(all);
        nlohmann::json j;
        std::exception_ptr failure;
        std::string error;
        if (writesFiles()) {
            try {
                j = readCheckpoint(all);
            } catch (const std::exception& e) {
                failure = std::current_exception();
                error = e.what();
            }
        }
        error = broadcastText(*m_group, error, 0);
        if (failure) std::rethrow_exception(failure);
        if (!error.empty()) throw EngineError(m_dir, "rank 0 cannot resume the fine-tuning run: " + error);
        j = nlohmann::json::parse(broadcastText(*m_group, j.dump(), 0));
        std::string names;
        for (const auto& [name, t] : all) names += name + "\n";
        names = broadcastText(*m_group, names, 0);
        NamedTensors received;
        for (size_t start = 0, end; (end = names.find('\n', start)) != std::string::npos; start = end + 1) {
            const size_t k = received.size();
            received.emplace_back(names.substr(start, end - start),
                                  broadcastTensor(*m_group, writesFiles() ? all[k].second : at::Tensor(), 0));
        }
        all = std::move(received);
        return j;
    }

    bool resumeFromCheckpoint() {
        NamedTensors all;
        const nlohmann::json j = shareCheckpoint(all);
        if (j.is_null()) return false;
        m_state.fromJson(j);
        NamedTensors current;
        m_best.clear();
        for (auto& [name, t] : all) {
            if (name.rfind("best/", 0) == 0) m_best.emplace_back(name.substr(5), t);
            else current.emplace_back(name, t);
        }
        m_trainable.loadState(current);
        m_state.stopped = false;  // a longer run (more steps) may continue past an early stop
        m_state.sinceImprovement = m_o.patience > 0 ? std::min(m_state.sinceImprovement, m_o.patience - 1) : 0;
        if (m_observer) m_observer->onLog("resumed at step " + std::to_string(m_state.step));
        return true;
    }

    LlamaModel& m_student;
    const LlamaModel& m_teacher;
    const FinetuneData& m_data;
    const FinetuneOptions& m_o;
    std::string m_dir;
    nlohmann::json m_defining;
    FinetuneObserver* m_observer;
    const CancelToken* m_cancel;
    ProcessGroup* m_group;  // null: one process
    TrainableStudent m_trainable;
    int64_t m_windowsPerStep = 1, m_batch = 1;
    at::Tensor m_validation;
    AdamSettings m_adam;
    PvSettings m_pv;
    RunState m_state;
    NamedTensors m_best;
};

}  // namespace

FinetuneData splitFinetuneData(std::vector<int32_t> tokens, int64_t seqLen, double validationFraction) {
    const int64_t n = static_cast<int64_t>(tokens.size());
    const int64_t held = static_cast<int64_t>(double(n) * std::clamp(validationFraction, 0.0, 0.9));
    FinetuneData data;
    data.seqLen = seqLen;
    data.validation.assign(tokens.end() - held, tokens.end());
    tokens.resize(static_cast<size_t>(n - held));
    data.train = std::move(tokens);
    if (static_cast<int64_t>(data.train.size()) < seqLen || static_cast<int64_t>(data.validation.size()) < seqLen)
        throw EngineError("", "the fine-tuning text has " + std::to_string(n) + " tokens: too few for a training and a held-out window of " +
                                  std::to_string(seqLen) + " tokens", "add fine-tuning text or shorten the sequence length");
    return data;
}

FinetuneSummary finetuneModel(LlamaModel& student, const LlamaModel& teacher, const FinetuneData& data,
                              const FinetuneOptions& options, const std::string& stateDir,
                              const nlohmann::json& defining, FinetuneObserver* observer, const CancelToken* cancel,
                              ProcessGroup* group) {
    if (student.config().vocabSize != teacher.config().vocabSize || student.config().dim != teacher.config().dim)
        throw EngineError("", "the student and the teacher have different shapes (vocabulary or width)",
                          "fine-tune against the model the student was compressed from");
    if (group && group->worldSize() == 1) group = nullptr;
    std::error_code ec;
    if (!group || group->rank() == 0) fs::create_directories(stateDir, ec);
    Finetuner f(student, teacher, data, options, stateDir, defining, observer, cancel, group);
    return f.run();
}

}  // namespace aqlm
