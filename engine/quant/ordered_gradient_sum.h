#pragma once
// Data-parallel gradients whose result depends neither on timing nor on the number of ranks
// (docs/architecture/distributed.md): a step's work is cut into shards (block fine-tuning: one
// window each; whole-model fine-tuning: one pass of windows each) and their gradients are summed in
// shard order. Shard s runs on rank s % worldSize; round by round, each rank's shard gradient is
// broadcast by its owner and every rank adds them in shard order: the same additions, in the same
// order, as one process computing every shard itself. (An all-reduce would add the ranks' partial
// sums in an order that depends on the algorithm and the number of ranks.)
#include "engine/dist/process_group.h"

#include <ATen/ATen.h>

#include <functional>
#include <vector>

namespace aqlm {

inline int shardOwner(int64_t shard, int worldSize) { return static_cast<int>(shard % worldSize); }

// leaves: tensors (fp32, or fp16/bf16: they travel as fp32, exactly) that require grad. computeShard(s) runs shard s's forward and backward (the
// leaves' gradients are cleared before it) and returns its loss. Afterwards each leaf's grad holds
// the sum over all shards in shard order (zeros where no shard reached it), identical on every
// rank, and the result holds every shard's loss. group: null or one rank for one process.
std::vector<double> sumShardGradients(const std::vector<at::Tensor>& leaves, int64_t shards,
                                      const std::function<double(int64_t shard)>& computeShard, ProcessGroup* group);

// Per-item numbers computed where an item's owner (item % worldSize) ran it, shared so every rank
// holds all of them: rows [items, k] double; each rank fills the rows it owns, the others stay
// zero, and an all-reduce sum (x + 0 is exact) gives every rank the owners' values bit for bit.
void shareOwnedRows(ProcessGroup* group, at::Tensor& rows);

}  // namespace aqlm
