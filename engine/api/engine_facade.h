#pragma once
// The engine as the GUI sees it: plain functions over api value types, no Torch, no Qt.
// Everything here may block for a long time: call it from a worker thread.
#include "engine/api/cancel_token.h"
#include "engine/api/progress_observer.h"
#include "engine/api/quant_types.h"
#include "engine/api/types.h"

#include <functional>
#include <string>

namespace aqlm {

// Loads and validates a model (throws EngineError naming the file and the problem).
ModelInfo inspectModel(const std::string& path);

struct BitEstimate {
    double avgBits = 0;          // bits per parameter over quantized layers
    double modelBits = 0;        // whole model
    int64_t predictedBytes = 0;
    double codebookShare = 0;    // fraction of quantized bits spent on codebooks
    std::string advice;          // non-empty when the scheme wastes bits on this model's sizes
};
// From config.json / the checkpoint header only: cheap enough to call on every settings change.
BitEstimate estimateBits(const std::string& modelPath, const CompressionOptions& options);

CompressionSummary runCompression(const std::string& modelPath, const std::string& outDir,
                                  const CompressionOptions& options, ProgressObserver* observer,
                                  const CancelToken* cancel);

struct EvalRequest {
    std::string modelPath;
    std::string dataPath;
    int64_t seqLen = 0;      // 0: model context
    int64_t maxWindows = 0;  // 0: all
};
EvalReport runPerplexity(const EvalRequest& request, const std::function<void(const EvalReport&)>& progress,
                         const CancelToken* cancel);

}  // namespace aqlm
