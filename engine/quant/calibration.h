#pragma once
// Calibration data: token windows drawn from text files, and the per-linear input statistics
// H = X^T X / N that every quantizer works against.
#include "engine/dist/process_group.h"
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

// Where calibration activations live: in memory while they fit the budget, otherwise in a
// memory-mapped scratch file (the system pages it to disk), with identical contents either way.
class ActivationStore {
public:
    // budgetBytes <= 0: always in memory. scratchDir: where spill files go (created on demand;
    // each file is unlinked as soon as it is mapped, so its space returns when the tensor dies).
    ActivationStore(int64_t budgetBytes, std::string scratchDir);
    // An fp32 tensor of this shape; contents undefined. In memory while the live in-memory tensors
    // of this store stay within the budget, otherwise backed by a scratch file.
    at::Tensor allocate(const std::vector<int64_t>& shape);
    int64_t spilledBytes() const { return m_spilledBytes; }  // total ever spilled
    int64_t inMemoryBytes() const { return *m_inMemoryBytes; }  // live now

private:
    int64_t m_budget;
    std::string m_dir;
    std::shared_ptr<int64_t> m_inMemoryBytes = std::make_shared<int64_t>(0);
    int64_t m_spilledBytes = 0;
    int m_files = 0;
};

// Runs block `layer` of the model on inputs [N, T, dim] in batches and records H for each linear.
// With a group, each rank runs the batches it owns (batch i: rank i % worldSize) and every rank ends
// with all outputs and the same H, summed batch by batch in batch order: bit-identical to one process.
BlockStatistics collectBlockStatistics(LlamaModel& model, int64_t layer, const at::Tensor& inputs,
                                       int64_t batch, ActivationStore* store = nullptr, ProcessGroup* group = nullptr);

// Runs block `layer` on inputs in batches without gradients (outputs from the store when given).
// With a group, each rank runs its own batches and then every rank holds all outputs.
at::Tensor runBlock(const LlamaModel& model, int64_t layer, const at::Tensor& inputs, int64_t batch,
                    ActivationStore* store = nullptr, ProcessGroup* group = nullptr);

}  // namespace aqlm
