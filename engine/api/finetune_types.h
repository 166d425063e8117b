#pragma once
// Whole-model fine-tuning of an AQLM model against its original (design/AQLM.md section 5):
// settings, per-step and per-evaluation reports, the summary, and the observer a run reports
// through. No Torch, no Qt (shared by the engine, the CLI and the GUI).
#include "engine/api/runtime_options.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aqlm {

// Global: codes frozen, Adam on codebooks, scales and norms. Pv: codes updated too (PV-Tuning).
enum class FinetuneMode { Global, Pv };
const char* finetuneModeName(FinetuneMode mode);     // "global", "pv"
FinetuneMode parseFinetuneMode(const std::string& text);  // throws EngineError for anything else

struct FinetuneOptions {
    FinetuneMode mode = FinetuneMode::Pv;
    std::vector<std::string> dataFiles;  // plain text; the last validationFraction is held out
    int64_t steps = 100;
    int64_t tokensPerStep = 4096;        // rounded down to whole windows (at least one)
    int64_t seqLen = 0;                  // 0: the model's context
    double learningRate = 1e-4;          // Adam (0.9, 0.95) on codebooks, scales, norms
    bool trainEmbeddings = false;        // also the token embedding and an untied head
    // PV-Tuning (mode Pv). Defaults from design/AQLM.md section 5.
    double tau = 0.01;                   // fraction of code groups per layer re-encoded per step
    double codeLearningRate = 3e-3;      // Adam (beta1 0, beta2 0.95) on the straight-through buffer
    int beamSize = 5;
    double trustRatio = 0.01;            // <= 0: off
    double deltaDecay = 0.0;             // 0: the buffer persists; 1: reset to the decoded weight
    // Evaluation, best state, early stop, checkpoints.
    int64_t evalEvery = 10;              // steps between held-out evaluations (and checkpoints)
    int64_t evalWindows = 16;            // held-out windows scored per evaluation (0: all)
    double validationFraction = 0.1;     // of the fine-tuning text's tokens, at its end
    int patience = 0;                    // evaluations without improvement before stopping (0: never)
    int64_t klChunkTokens = 256;         // tokens per chunk through the head
    uint64_t seed = 0;
    bool resume = false;
};

// One optimizer step.
struct FinetuneStepReport {
    int64_t step = 0;              // 1-based
    double klLoss = 0;             // mean KL(teacher || student) per token of this step's windows
    int64_t codesChanged = 0;      // code groups (one g-vector, all M codes) re-encoded and changed
    int64_t codeGroups = 0;        // code groups in all quantized layers
    double seconds = 0;            // since the run started (this session)
};

// One held-out evaluation.
struct FinetuneEvalReport {
    int64_t step = 0;              // 0: before the first step
    double validationKl = 0;       // mean KL(teacher || student) per token
    double validationPerplexity = 0;
    bool best = false;             // the best so far (kept)
};

struct FinetuneSummary {
    int64_t steps = 0;             // steps done (all sessions, resumed ones included)
    int64_t resumedFromStep = 0;
    bool earlyStopped = false;
    double initialPerplexity = 0, finalPerplexity = 0, bestPerplexity = 0;  // held-out split
    double initialKl = 0, finalKl = 0, bestKl = 0;
    int64_t bestStep = 0;
    int64_t tokensUsed = 0;        // training tokens seen (all sessions)
    double seconds = 0;            // this session
    double peakMb = 0;
    double avgBits = 0, modelBits = 0;
    int64_t bytes = 0;             // the written folder
    std::vector<int64_t> codesChangedPerStep;  // this session's steps
    std::vector<FinetuneEvalReport> evaluations;
};

// What to fine-tune against what, and where the result goes (a new folder, or an unfinished run's
// folder with options.resume).
struct FinetuneRequest {
    std::string studentPath;   // an AQLM model (library entry or compression output)
    std::string teacherPath;   // the original model it was compressed from
    std::string outDir;
    FinetuneOptions options;
    RuntimeOptions runtime;    // threads and device, applied on the thread that runs the job
};

class FinetuneObserver {
public:
    virtual ~FinetuneObserver() = default;
    virtual void onStep(const FinetuneStepReport& report) {}
    virtual void onEvaluation(const FinetuneEvalReport& report) {}
    virtual void onLog(const std::string& message) {}
};

}  // namespace aqlm
