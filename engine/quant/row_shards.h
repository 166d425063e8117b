#pragma once
// One layer's rows shared between the ranks that quantize it together (docs/architecture/distributed.md,
// "Row split"). The rows are cut into fixed shards whose boundaries depend only on the row count, never
// on the number of ranks; each rank owns a contiguous run of shards and computes everything per row for
// those rows only. Sums over rows are formed per shard and added in shard order on every rank, and
// one process (no group) forms them the same way, so the layer's result does not depend on how many
// ranks computed it.
#include "engine/dist/process_group.h"

#include <ATen/ATen.h>

#include <functional>
#include <utility>

namespace aqlm {

class RowShards {
public:
    // group null or of one rank: this process owns every row.
    RowShards(int64_t rows, ProcessGroup* group);

    int64_t rows() const { return m_rows; }
    // Whether other ranks share the rows (then every rank must make the same calls, in the same order).
    bool distributed() const { return m_group != nullptr; }
    ProcessGroup* group() const { return m_group; }
    int64_t shardCount() const { return m_shards; }
    int64_t shardBegin(int64_t shard) const { return m_rows * shard / m_shards; }
    int ownerOf(int64_t shard) const;
    // This rank's rows [ownBegin, ownEnd): may be empty when there are more ranks than shards.
    int64_t ownBegin() const { return m_ownBegin; }
    int64_t ownEnd() const { return m_ownEnd; }
    int64_t ownRows() const { return m_ownEnd - m_ownBegin; }
    // t [rows, ...] -> this rank's rows of it (a view).
    at::Tensor own(const at::Tensor& t) const { return t.narrow(0, m_ownBegin, ownRows()); }
    // local [ownRows, ...] (this rank's rows) -> its rows [begin, end) in global row indices (a view).
    at::Tensor slice(const at::Tensor& local, int64_t begin, int64_t end) const {
        return local.narrow(0, begin - m_ownBegin, end - begin);
    }

    // sum over every shard of partial(begin, end) (global row indices), in shard order, on every rank;
    // each shard's partial is computed by its owner. `sizes` and `options` describe every partial.
    at::Tensor sumOverShards(at::IntArrayRef sizes, const at::TensorOptions& options,
                             const std::function<at::Tensor(int64_t begin, int64_t end)>& partial) const;

    // localRows [ownRows, ...] (this rank's rows) -> [rows, ...] with every rank's rows, on every rank.
    at::Tensor gatherRows(const at::Tensor& localRows) const;

    // sum over all rows of a per-row fp64 value given for this rank's rows ([ownRows]), added row by row
    // in row order: the same on every rank and in one process.
    double sumOverRows(const at::Tensor& localPerRow) const;

private:
    // The shards [first, end) that `rank` owns (empty when first == end).
    std::pair<int64_t, int64_t> shardsOf(int rank) const;

    int64_t m_rows, m_shards;
    ProcessGroup* m_group;
    int m_ranks;
    int64_t m_ownBegin = 0, m_ownEnd = 0;
};

}  // namespace aqlm
