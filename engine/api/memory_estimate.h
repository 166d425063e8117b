#pragma once
// What a job will need in memory, estimated before it starts, so that a job that cannot fit is
// refused with a reason instead of being killed by the system. Torch-free (the GUI shows it).
#include "engine/api/finetune_types.h"
#include "engine/api/quant_types.h"
#include "engine/api/types.h"

#include <cstdint>
#include <string>

namespace aqlm {

struct MemoryEstimate {
    int64_t weightBytes = 0;    // the model's weights as they will be resident (mapped or loaded)
    int64_t workingBytes = 0;   // KV cache, activations, calibration data, H matrices, buffers
    int64_t availableBytes = 0; // what the system can give now (MemAvailable)
    int64_t totalBytes() const { return weightBytes + workingBytes; }
    bool fits() const { return availableBytes <= 0 || totalBytes() <= availableBytes; }
    std::string whatWouldFit;   // the setting that would make it fit, in the user's words ("" if none)
};

// Bytes the system can give now (Linux MemAvailable; 0 when unknown, which never refuses a job).
int64_t availableMemoryBytes();
// The context a chat is checked for before it opens: the cache grows per answer, so a long-context
// model (32k) is not refused up front for a conversation it may never reach.
constexpr int64_t kChatEstimateContext = 8192;
// Chat or generation with a context of contextTokens positions.
MemoryEstimate estimateChatMemory(const ModelInfo& model, int64_t contextTokens);
// Perplexity with windows of seqLen tokens.
MemoryEstimate estimatePerplexityMemory(const ModelInfo& model, int64_t seqLen);
// Compression with these options (calibration activations in memory up to the spill budget).
MemoryEstimate estimateCompressionMemory(const ModelInfo& model, const CompressionOptions& options);
// Whole-model fine-tuning of student (AQLM) against teacher (its original) with these options:
// both models, the trainable state per quantized weight (PV mode ~26 bytes, global ~8) and the
// autograd activations of one pass (calibrated on reference-7M).
MemoryEstimate estimateFinetuneMemory(const ModelInfo& student, const ModelInfo& teacher, const FinetuneOptions& options);
// Throws EngineError(path, "needs X GB but Y GB are available", whatWouldFit) when it cannot fit.
void requireMemory(const MemoryEstimate& estimate, const std::string& path, const std::string& job);
// "1.4 GB"
std::string formatBytes(int64_t bytes);

}  // namespace aqlm
