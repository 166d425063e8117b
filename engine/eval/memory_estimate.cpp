// Memory needed by each kind of job, from the model's description only (no weight is read).
#include "engine/api/memory_estimate.h"

#include "engine/api/engine_error.h"
#include "engine/layers/kernels/half_isa_kernels.h"
#include "engine/model/attention_budget.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace aqlm {
namespace {

constexpr int64_t kFloatBytes = 4;
constexpr int64_t kPerplexityBatch = 4;    // PerplexityOptions::batchWindows

int64_t headDim(const ModelInfo& m) { return m.nHeads > 0 ? m.dim / m.nHeads : 0; }
int64_t kvDim(const ModelInfo& m) { return m.nKvHeads * headDim(m); }
// 16-bit models keep 16-bit KV caches (LlamaModel::cacheType); llama2.c fp32 models fp32 ones.
int64_t cacheElementBytes(const ModelInfo& m) { return m.dtype == "fp32" ? 4 : 2; }

// Attention scores and their softmax for `batch` windows of t tokens, plus the block's widest
// activations (gate/up outputs) and the logits of one window.
int64_t forwardActivationBytes(const ModelInfo& m, int64_t batch, int64_t t) {
    const int64_t scores = 2 * batch * m.nHeads * t * t * kFloatBytes;
    const int64_t hidden = 4 * batch * t * std::max(m.dim, m.hiddenDim) * kFloatBytes;
    return scores + hidden;
}

int64_t logitsBytes(const ModelInfo& m, int64_t t) { return 2 * t * m.vocabSize * kFloatBytes; }

}  // namespace

int64_t availableMemoryBytes() {
    std::ifstream meminfo("/proc/meminfo");
    std::string line;
    while (std::getline(meminfo, line)) {
        if (line.rfind("MemAvailable:", 0) != 0) continue;
        std::istringstream fields(line.substr(13));
        int64_t kib = 0;
        fields >> kib;
        return kib * 1024;
    }
    return 0;
}

std::string formatBytes(int64_t bytes) {
    char text[32];
    const double gb = static_cast<double>(bytes) / 1e9;
    if (gb >= 1.0) std::snprintf(text, sizeof text, "%.1f GB", gb);
    else std::snprintf(text, sizeof text, "%.0f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

MemoryEstimate estimateChatMemory(const ModelInfo& m, int64_t contextTokens) {
    MemoryEstimate e;
    const int64_t ctx = contextTokens > 0 ? std::min(contextTokens, m.contextLength) : m.contextLength;
    e.weightBytes = m.bytesOnDisk;
    const int64_t kvCache = 2 * m.nLayers * kvDim(m) * ctx * cacheElementBytes(m);
    // A compressed model decodes with an int8 copy of its classifier (decode_step.h): a byte per weight
    // and an fp32 scale per 64.
    const bool compressed = m.format.rfind("hf aqlm", 0) == 0;
    const int64_t int8Head = compressed ? kernels::int8RowsBytes(m.vocabSize, m.dim) : 0;
    e.workingBytes = kvCache + forwardActivationBytes(m, 1, std::min<int64_t>(ctx, 512)) + logitsBytes(m, 1) + int8Head;
    e.availableBytes = availableMemoryBytes();
    if (!e.fits() && ctx > 512) e.whatWouldFit = "use a shorter context";
    return e;
}

MemoryEstimate estimatePerplexityMemory(const ModelInfo& m, int64_t seqLen) {
    MemoryEstimate e;
    const int64_t t = seqLen > 0 ? std::min(seqLen, m.contextLength) : m.contextLength;
    e.weightBytes = m.bytesOnDisk;
    const int64_t windows = windowsPerPass(m.nHeads, t, kPerplexityBatch);
    e.workingBytes = forwardActivationBytes(m, windows, t) + windows * logitsBytes(m, t);
    e.availableBytes = availableMemoryBytes();
    if (!e.fits() && t > 128) e.whatWouldFit = "use a shorter evaluation window";
    return e;
}

MemoryEstimate estimateCompressionMemory(const ModelInfo& m, const CompressionOptions& o) {
    MemoryEstimate e;
    const int64_t t = o.seqLen > 0 ? std::min(o.seqLen, m.contextLength) : m.contextLength;
    const int64_t windows = o.nsamples + o.evalWindowsPerBlock;
    const int64_t wide = std::max(m.dim, m.hiddenDim);
    // Resident weights: the 16-bit embeddings and head, one original block widened to fp32 while it
    // is quantized, and the compressed blocks done so far (about the output's size).
    const int64_t blockParams = 2 * m.dim * m.dim + 2 * kvDim(m) * m.dim + 3 * m.dim * m.hiddenDim;
    const int64_t embeddings = m.vocabSize * m.dim * 2 * (m.tiedEmbeddings ? 1 : 2);
    const int64_t compressed = static_cast<int64_t>(static_cast<double>(m.parameters) * 3.0 / 8.0);
    e.weightBytes = embeddings + blockParams * kFloatBytes + compressed;
    // Calibration: inputs, original outputs and next inputs of the current block for every window,
    // fp32, in memory up to the budget (the rest spills to a scratch file: slower, never refused).
    e.availableBytes = availableMemoryBytes();
    const int64_t budget = o.activationMemoryBudget > 0 ? o.activationMemoryBudget
                           : o.activationMemoryBudget < 0 ? INT64_MAX : e.availableBytes / 2;
    const int64_t calibration = std::min<int64_t>(3 * windows * t * m.dim * kFloatBytes, budget > 0 ? budget : INT64_MAX);
    // H = X^T X per input group (fp64) and one fp32 copy while a layer is quantized.
    const int64_t hessians = (3 * m.dim * m.dim + m.hiddenDim * m.hiddenDim) * 8 + wide * wide * kFloatBytes;
    // The layer quantizer's working copies: W, W H, Ŵ, (W - Ŵ) H, W - Ŵ and the solver's direction
    // and its product with H.
    const int64_t layerWork = 7 * m.dim * m.hiddenDim * kFloatBytes;
    e.workingBytes = calibration + hessians + layerWork +
                     forwardActivationBytes(m, windowsPerPass(m.nHeads, t, kCompressionWindowsPerPass), t);
    if (!e.fits()) {
        const int64_t spare = e.availableBytes - (e.totalBytes() - calibration);
        const int64_t perWindow = 3 * t * m.dim * kFloatBytes;
        const int64_t fitting = perWindow > 0 ? spare / perWindow - o.evalWindowsPerBlock : 0;
        if (fitting >= 2)
            e.whatWouldFit = "use at most " + std::to_string(fitting) + " calibration samples, or shorter ones";
        else
            e.whatWouldFit = "use a shorter calibration sequence length";
    }
    return e;
}

MemoryEstimate estimateFinetuneMemory(const ModelInfo& student, const ModelInfo& teacher, const FinetuneOptions& o) {
    // Calibrated on reference-7M 2x8g8, 4096 tokens per step of 256 (peak RSS 837 MiB PV, 728 MiB
    // global; docs/architecture/finetuning.md): the two byte counts below and the runtime's own share,
    // plus 4 bytes per weight since the step's G is summed pass by pass in a fixed order (a running
    // sum beside the pass's own G: ordered_gradient_sum).
    constexpr int64_t kPvBytesPerWeight = 30;      // Ŵ, G, the sum of G, the buffer B, its two moments, re-encoding scratch
    constexpr int64_t kGlobalBytesPerWeight = 12;  // Ŵ, G and the sum of G
    constexpr int64_t kRuntimeBytes = 350'000'000;  // LibTorch, the tokenized text, allocator slack
    MemoryEstimate e;
    const ModelInfo& m = student;
    const int64_t t = o.seqLen > 0 ? std::min(o.seqLen, m.contextLength) : m.contextLength;
    const int64_t windows = std::max<int64_t>(1, t > 0 ? o.tokensPerStep / t : 1);
    const int64_t perPass = std::min<int64_t>(4, windows);  // model_finetuner's windows per pass, at most
    const int64_t blockParams = 2 * m.dim * m.dim + 2 * kvDim(m) * m.dim + 3 * m.dim * m.hiddenDim;
    const int64_t quantizedWeights = m.nLayers * blockParams;
    const int64_t bytesPerWeight = o.mode == FinetuneMode::Pv ? kPvBytesPerWeight : kGlobalBytesPerWeight;
    const int64_t embeddings = m.vocabSize * m.dim * kFloatBytes * (m.tiedEmbeddings ? 1 : 2);
    e.weightBytes = student.bytesOnDisk + teacher.bytesOnDisk + quantizedWeights * bytesPerWeight +
                    (o.trainEmbeddings ? 3 * embeddings : embeddings);
    // Autograd keeps, per layer and token of the windows in one pass, the block's inputs and
    // projections (~6 x dim, 4 x hidden) and the attention scores with their softmax; then both
    // heads' chunked logits and the teacher's forward pass.
    const int64_t perToken = 6 * m.dim + 4 * m.hiddenDim + 2 * m.nHeads * t;
    const int64_t chunk = std::max<int64_t>(1, std::min(o.klChunkTokens, t));
    e.workingBytes = perPass * t * m.nLayers * perToken * kFloatBytes + 6 * chunk * m.vocabSize * kFloatBytes +
                     forwardActivationBytes(teacher, perPass, t) + kRuntimeBytes;
    e.availableBytes = availableMemoryBytes();
    if (!e.fits() && o.mode == FinetuneMode::Pv) e.whatWouldFit = "use global fine-tuning (codes frozen)";
    return e;
}

void requireMemory(const MemoryEstimate& e, const std::string& path, const std::string& job) {
    if (e.fits()) return;
    throw EngineError(path, job + " needs about " + formatBytes(e.totalBytes()) + " of memory (weights " +
                                formatBytes(e.weightBytes) + ", working memory " + formatBytes(e.workingBytes) +
                                ") but only " + formatBytes(e.availableBytes) + " are available",
                      e.whatWouldFit.empty() ? "close other programs or use a smaller model" : e.whatWouldFit);
}

}  // namespace aqlm
