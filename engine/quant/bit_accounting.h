#pragma once
// Bits per parameter and bytes on disk of a compressed model, computed from shapes alone so the
// CLI and the GUI can show them before any run.
#include "engine/api/quant_types.h"
#include "engine/io/model_config.h"

#include <string>
#include <vector>

namespace aqlm {

struct LinearShape {
    std::string name;  // "model.layers.0.self_attn.q_proj"
    int64_t dOut = 0, dIn = 0;
};

// Every linear a compression run quantizes, in run order.
std::vector<LinearShape> quantizableLinears(const ModelConfig& config);
// Parameters kept in 16 bits: embeddings, norms, and the head when untied.
int64_t unquantizedParameters(const ModelConfig& config);

struct BitBudget {
    double avgBits = 0;          // over quantized linears
    double modelBits = 0;        // whole model
    int64_t predictedBytes = 0;  // safetensors payload: codes as int8/int16, fp16 everything else
    double codebookShare = 0;    // fraction of the quantized layers' bits spent on codebooks
    int64_t quantizedParameters = 0;
    int64_t totalParameters = 0;
};

// method "aqlm" uses scheme; "gptq"/"rtn" use bits and groupSize.
BitBudget computeBitBudget(const ModelConfig& config, const CompressionOptions& options);

// The one wording of the advice given when AQLM codebooks outweigh the codes on a model's sizes
// (empty when they do not): shown by the Compress page and `aqlm bits` alike.
std::string codebookAdvice(const BitBudget& budget, QuantMethod method);

}  // namespace aqlm
