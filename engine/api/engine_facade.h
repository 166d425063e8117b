#pragma once
// The engine as the GUI sees it: plain functions over api value types, no Torch, no Qt.
// Everything here may block for a long time: call it from a worker thread. Each job applies its
// RuntimeOptions (threads, device) to the thread that runs it.
#include "engine/api/cancel_token.h"
#include "engine/api/finetune_types.h"
#include "engine/api/progress_observer.h"
#include "engine/api/quant_types.h"
#include "engine/api/runtime_options.h"
#include "engine/api/types.h"

#include <functional>
#include <string>
#include <vector>

namespace aqlm {

// Describes and validates a model from its headers, without reading any weight (throws EngineError
// naming the file and the problem).
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

// Tokens of the texts as a compression counts them (the model's tokenizer, a start-of-text token per
// file). Reads and tokenizes every file: run it off the GUI thread. Throws EngineError naming the file.
int64_t countCalibrationTokens(const std::string& modelPath, const std::vector<std::string>& textFiles,
                               const CancelToken* cancel = nullptr);

CompressionSummary runCompression(const std::string& modelPath, const std::string& outDir,
                                  const CompressionOptions& options, ProgressObserver* observer,
                                  const CancelToken* cancel);

// Whole-model fine-tuning (global KD or PV-Tuning) of an AQLM model against its original; writes a
// new AQLM folder of the same scheme (facade/finetune_facade.cpp). Cancelling keeps the last
// checkpoint in outDir: run again with options.resume to continue.
FinetuneSummary runFinetune(const FinetuneRequest& request, FinetuneObserver* observer, const CancelToken* cancel);

struct EvalRequest {
    std::string modelPath;
    std::string dataPath;
    int64_t seqLen = 0;      // 0: model context
    int64_t maxWindows = 0;  // 0: all
    RuntimeOptions runtime;
};
EvalReport runPerplexity(const EvalRequest& request, const std::function<void(const EvalReport&)>& progress,
                         const CancelToken* cancel);

// Prefill and greedy-decode tokens/s with the KV cache on a fixed prompt of promptTokens tokens
// (capped so prompt + new tokens fit the context), median of a few runs after a warm-up run.
SpeedReport measureDecodeSpeed(const std::string& modelPath, int promptTokens, int newTokens,
                               const CancelToken* cancel, const RuntimeOptions& runtime = {});

// True when the engine was built with CUDA and a GPU is present (settings: the CUDA device entry).
bool cudaAvailable();
// One line for the settings dialog: LibTorch version, CUDA build and GPU count, thread count.
std::string engineBuildInfo();

}  // namespace aqlm
