#pragma once
// The whole-model fine-tuning loop (design/AQLM.md section 5): global KD (codes frozen) or
// PV-Tuning (codes updated), held-out evaluation every N steps with the best state kept, early
// stop, and checkpoints (optimizer states and PV buffers included) at every evaluation so that a
// cancelled or crashed run resumes to the result of an uninterrupted one.
#include "engine/api/cancel_token.h"
#include "engine/api/finetune_types.h"
#include "engine/dist/process_group.h"
#include "engine/model/llama_model.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aqlm {

struct FinetuneData {
    std::vector<int32_t> train;       // training tokens (windows drawn at seeded random offsets)
    std::vector<int32_t> validation;  // held-out tokens (non-overlapping windows)
    int64_t seqLen = 0;
};

// Splits the concatenated tokens of the files' texts (each with BOS) into training text and the
// held-out tail of validationFraction. Throws EngineError when either part is shorter than a window.
FinetuneData splitFinetuneData(std::vector<int32_t> tokens, int64_t seqLen, double validationFraction);

// Trains `student` (every projection AQLM) towards `teacher` in place and leaves it holding the
// best state seen (inference layers again). stateDir holds the checkpoint (state.json naming
// state-STEP.safetensors; state.json is written last, so a kill mid-checkpoint keeps the previous
// one whole); `defining` (the options that decide the result) must match a checkpoint to
// resume from it. Throws Cancelled when cancelled (the last checkpoint stays).
// group: data-parallel over the ranks (docs/architecture/distributed.md): pass p of each step's
// windows and evaluation batch k run on rank p % worldSize, k % worldSize; the gradients are summed
// in pass order, so every rank holds the same state (codes included) as one process would. Only
// rank 0 reads and writes stateDir; it sends a checkpoint to the others on resume.
FinetuneSummary finetuneModel(LlamaModel& student, const LlamaModel& teacher, const FinetuneData& data,
                              const FinetuneOptions& options, const std::string& stateDir,
                              const nlohmann::json& defining, FinetuneObserver* observer,
                              const CancelToken* cancel, ProcessGroup* group = nullptr);

}  // namespace aqlm
