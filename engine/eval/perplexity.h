#pragma once
// Perplexity as in docs/EVALUATION: whole text tokenized once with BOS, non-overlapping windows of
// seqLen tokens, each scored independently on its seqLen - 1 next-token predictions.
#include "engine/api/cancel_token.h"
#include "engine/api/types.h"
#include "engine/model/llama_model.h"

#include <functional>
#include <vector>

namespace aqlm {

struct PerplexityOptions {
    int64_t seqLen = 0;      // 0: the model's context
    int64_t maxWindows = 0;  // 0: all
    int64_t batchWindows = 4;  // windows scored per forward pass
};

// Called after each batch with the report so far (running perplexity).
using EvalProgress = std::function<void(const EvalReport& soFar)>;

EvalReport evaluatePerplexity(const LlamaModel& model, const std::vector<int32_t>& tokens,
                              const PerplexityOptions& options, const EvalProgress& progress = {},
                              const CancelToken* cancel = nullptr);

// Sum of next-token NLLs of one sequence scored from position 0 (teacher forcing), and the count.
std::pair<double, int64_t> sequenceNll(const LlamaModel& model, const std::vector<int32_t>& tokens);

}  // namespace aqlm
