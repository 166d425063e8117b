#pragma once
// Quantization settings and reports shared by the engine, the CLI and the GUI (no Torch, no Qt).
#include "engine/api/runtime_options.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aqlm {

// The compression methods: AQLM and the two integer baselines.
enum class QuantMethod { Aqlm, Gptq, Rtn };
const char* quantMethodName(QuantMethod method);  // "aqlm", "gptq", "rtn" (CLI, JSON, library)
// Throws EngineError naming the accepted names for anything else.
QuantMethod parseQuantMethod(const std::string& text);
// The one spelling of an integer scheme: "int4 g128" (group size -1: one group per row); with its
// method in front where the method is not shown beside it ("gptq int4 g128").
std::string intSchemeLabel(int bits, int groupSize);

// AQLM "MxB gG": M codebooks of 2^B codewords of g weights each (out_group_size is always 1).
struct QuantScheme {
    int numCodebooks = 1;
    int nbitsPerCodebook = 16;
    int inGroupSize = 8;

    int64_t codebookSize() const { return int64_t(1) << nbitsPerCodebook; }
    std::string toString() const;  // "2x8g8"
    // Accepts "2x8g8", "2x8 g8", "1x16G8"; throws EngineError with the accepted forms otherwise.
    static QuantScheme parse(const std::string& text);
};

// Exact bits per parameter of one quantized d_out x d_in matrix (codes + fp16 codebooks + fp16 scales).
double aqlmBitsPerParameter(int64_t dOut, int64_t dIn, const QuantScheme& scheme);
// Bits per parameter of a group-wise integer matrix (b-bit codes, fp16 scale and zero per group).
double intBitsPerParameter(int64_t dOut, int64_t dIn, int bits, int groupSize);

// How codebooks and scales are fitted while the codes are fixed (design/AQLM.md section 3):
// Exact: alternating exact least-squares solves (scales in closed form, codebooks by preconditioned
// conjugate gradients on the H-weighted normal equations); Adam: stepsPerEpoch Adam steps (the reference).
enum class CodebookUpdate { Exact, Adam };
const char* codebookUpdateName(CodebookUpdate update);  // "exact", "adam"
// Throws EngineError naming the accepted names for anything else.
CodebookUpdate parseCodebookUpdate(const std::string& text);

struct AqlmLayerOptions {
    CodebookUpdate codebookUpdate = CodebookUpdate::Exact;
    int beamSize = 1;
    int maxEpochs = 100;
    double relativeTolerance = 0.01;
    int stepsPerEpoch = 100;       // Adam steps on codebooks and scales per epoch (CodebookUpdate::Adam)
    int solverIterations = 16;     // at most this many CG steps per epoch (CodebookUpdate::Exact)
    double learningRate = 1e-4;
    int kmeansIterations = 100;
    int64_t kmeansMaxPoints = 1 << 15;  // subsample for k-means speed
    uint64_t seed = 0;
};

// One epoch of one layer's alternation, for the live error curve.
struct EpochReport {
    int64_t block = 0;
    std::string layer;       // "self_attn.q_proj"
    int epoch = 0;
    double objective = 0;    // tr((W - Ŵ) H (W - Ŵ)^T)
    double relError = 0;     // objective / tr(W H W^T)
};

struct LayerReport {
    int64_t block = 0;
    std::string layer;       // "self_attn.q_proj"
    std::string name;        // "model.layers.3.self_attn.q_proj"
    int64_t dOut = 0, dIn = 0;
    double relError = 0;
    double bits = 0;         // bits per parameter of this matrix
    double seconds = 0;
    int epochs = 0;
};

}  // namespace aqlm

namespace aqlm {

// How a run split across ranks shares each block's seven layers (never changes the result):
// Layers: each rank quantizes whole layers (largest first); Rows: all ranks quantize every layer
// together, each its share of the rows; Auto: Rows when whole layers would leave the busiest rank
// more than a quarter above the average (with more ranks than layers, always).
enum class LayerSplit { Auto, Layers, Rows };
LayerSplit parseLayerSplit(const std::string& text);

struct CompressionOptions {
    QuantMethod method = QuantMethod::Aqlm;
    QuantScheme scheme;           // aqlm
    AqlmLayerOptions layer;       // aqlm
    int bits = 4;                 // gptq / rtn
    int groupSize = 128;          // gptq / rtn
    bool actOrder = false;        // gptq
    double dampening = 0.01;      // gptq

    std::vector<std::string> calibrationFiles;
    int64_t nsamples = 128;
    int64_t seqLen = 0;           // 0: the model's context
    int finetuneEpochs = 10;      // 0: no block fine-tuning (aqlm only)
    double finetuneLearningRate = 1e-4;
    int64_t finetuneBatch = 8;
    double validationFraction = 0.1;
    int64_t evalWindowsPerBlock = 0;  // >0: quick perplexity on held-out calibration text per block
    uint64_t seed = 0;
    bool resume = false;
    // Memory for calibration activations before they spill to a scratch file in the output folder
    // (same result, slower). 0: half of the memory available at the start; < 0: never spill.
    int64_t activationMemoryBudget = 0;
    RuntimeOptions runtime;       // threads and device of the job (never changes the result's meaning)
    LayerSplit layerSplit = LayerSplit::Auto;  // distributed runs only; every rank must use the same
};

struct CompressionSummary {
    double avgBits = 0;     // bits per parameter over the quantized linear layers
    double modelBits = 0;   // whole model, 16-bit embeddings / head / norms included
    int64_t bytes = 0;      // on disk
    double peakMb = 0;      // peak resident memory of the process
    double seconds = 0;
    int64_t resumedBlocks = 0;
    int threads = 0;        // threads the job ran with
    std::vector<LayerReport> layers;
};

}  // namespace aqlm
