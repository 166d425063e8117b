#pragma once
// Calibration data: token windows drawn from text files, and the per-linear input statistics
// H = X^T X / N that every quantizer works against.
#include "engine/io/tokenizer.h"
#include "engine/model/llama_model.h"

#include <ATen/ATen.h>

#include <map>
#include <string>
#include <vector>

namespace aqlm {

// count windows of seqLen tokens at seeded random offsets of the concatenated token streams of
// the files (each tokenized with BOS). Throws EngineError naming the file(s) when the text is
// shorter than one window or a file is unreadable. Returns [count, seqLen] int64.
at::Tensor sampleCalibrationWindows(const Tokenizer& tokenizer, const std::vector<std::string>& files,
                                    int64_t count, int64_t seqLen, uint64_t seed);

struct BlockStatistics {
    std::map<Sublayer, at::Tensor> hessians;  // [dIn, dIn] fp64, shared by linears with one input
    at::Tensor outputs;                       // [N, T, dim]: the original block's outputs (targets)
};

// Runs block `layer` of the model on inputs [N, T, dim] in batches and records H for each linear.
BlockStatistics collectBlockStatistics(LlamaModel& model, int64_t layer, const at::Tensor& inputs,
                                       int64_t batch);

// Runs block `layer` on inputs in batches without gradients.
at::Tensor runBlock(const LlamaModel& model, int64_t layer, const at::Tensor& inputs, int64_t batch);

}  // namespace aqlm
