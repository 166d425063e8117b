#include "engine/eval/perplexity.h"

#include "engine/api/engine_error.h"
#include "engine/model/attention_budget.h"

#include <ATen/ATen.h>
#include <c10/core/GradMode.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace aqlm {
namespace {

// Per-prediction NLLs of each row of tokens [B, T] (row-major [B, T-1]) in float64.
at::Tensor predictionNlls(const LlamaModel& model, const at::Tensor& tokens) {
    auto logits = model.forward(tokens);  // [B, T, V]
    const int64_t T = tokens.size(1);
    auto logProbs = at::log_softmax(logits.narrow(1, 0, T - 1).to(at::kDouble), -1);
    auto targets = tokens.narrow(1, 1, T - 1).unsqueeze(-1);
    return -logProbs.gather(-1, targets).squeeze(-1);
}

}  // namespace

std::pair<double, int64_t> sequenceNll(const LlamaModel& model, const std::vector<int32_t>& tokens) {
    if (tokens.size() < 2) throw EngineError("", "need at least two tokens to score");
    c10::NoGradGuard noGrad;
    auto t = at::tensor(std::vector<int64_t>(tokens.begin(), tokens.end()), at::kLong).view({1, -1});
    auto nll = predictionNlls(model, t);
    return {nll.sum().item<double>(), nll.numel()};
}

EvalReport evaluatePerplexity(const LlamaModel& model, const std::vector<int32_t>& tokens,
                              const PerplexityOptions& options, const EvalProgress& progress,
                              const CancelToken* cancel) {
    const int64_t context = model.config().maxSeqLen;
    const int64_t seqLen = options.seqLen > 0 ? std::min(options.seqLen, context) : context;
    if (seqLen < 2) throw EngineError("", "sequence length must be at least 2");
    const int64_t n = static_cast<int64_t>(tokens.size());
    int64_t windows = n / seqLen;
    if (windows == 0)
        throw EngineError("", "text has " + std::to_string(n) + " tokens, fewer than one window of " +
                                  std::to_string(seqLen));
    if (options.maxWindows > 0) windows = std::min(windows, options.maxWindows);

    c10::NoGradGuard noGrad;
    const auto start = std::chrono::steady_clock::now();
    auto all = at::tensor(std::vector<int64_t>(tokens.begin(), tokens.begin() + windows * seqLen), at::kLong)
                   .view({windows, seqLen});
    EvalReport report;
    report.tokens = n;
    report.seqLen = seqLen;
    double sum = 0, sumSquares = 0;
    const int64_t batch = windowsPerPass(model.config().nHeads, seqLen, options.batchWindows);
    for (int64_t w = 0; w < windows; w += batch) {
        if (cancel) cancel->throwIfCancelled();
        const int64_t b = std::min(batch, windows - w);
        auto nll = predictionNlls(model, all.narrow(0, w, b));
        sum += nll.sum().item<double>();
        sumSquares += nll.pow(2).sum().item<double>();
        report.windows = w + b;
        report.predictions = report.windows * (seqLen - 1);
        const double count = static_cast<double>(report.predictions);
        report.meanNll = sum / count;
        report.perplexity = std::exp(report.meanNll);
        // Delta method: se(ppl) = ppl * se(mean nll), treating predictions as independent.
        const double variance = std::max(0.0, sumSquares / count - report.meanNll * report.meanNll);
        report.stdError = report.perplexity * std::sqrt(variance / count);
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (progress) progress(report);
    }
    return report;
}

}  // namespace aqlm
