#pragma once
// What a compression run split across the ranks of a ProcessGroup shares, and who does what
// (docs/architecture/distributed.md): calibration batch i runs on rank i % worldSize; the seven
// linears of a block go to ranks largest first; rank 0 fine-tunes the block and writes every file.
#include "engine/api/quant_types.h"
#include "engine/dist/process_group.h"
#include "engine/model/llama_model.h"

#include <vector>

namespace aqlm {

// The rank that quantizes each layer (sizes: d_out x d_in per layer, in sublayer order): largest
// first, each to the rank with the least work so far; ties go to the lower layer index and the lower
// rank, so every rank computes the same answer.
std::vector<int> assignLayersLargestFirst(const std::vector<int64_t>& sizes, int worldSize);

// Whether all ranks quantize each layer together, each its share of the rows (LayerSplit::Rows), rather
// than whole layers per rank; Auto picks rows when the largest-first assignment would give the busiest
// rank more than 1.25 times the average work. Only AQLM layers can be split by rows.
bool splitLayersByRows(const std::vector<int64_t>& sizes, int worldSize, LayerSplit split, QuantMethod method);

// The rank that runs calibration batch `batchIndex`.
inline int batchOwner(int64_t batchIndex, int worldSize) { return static_cast<int>(batchIndex % worldSize); }

// The root's quantized linear (AQLM codes, codebooks, scales; or the integer tensors) replaces
// `linear` on every other rank, exactly (fp32 / int32, no rounding).
void broadcastLinear(ProcessGroup& group, std::unique_ptr<Linear>& linear, int root, const QuantScheme& scheme);

// The root's block (both norms and the seven quantized linears) replaces `block` on every other rank.
void broadcastBlock(ProcessGroup& group, LlamaBlock& block, int root, const QuantScheme& scheme);

// tensor [N, ...]: every rank fills in the batches (of `batch` rows along dim 0) it owns; afterwards
// every rank holds all of them.
void shareBatches(ProcessGroup& group, at::Tensor& tensor, int64_t batch);

}  // namespace aqlm
