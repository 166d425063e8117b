#include "engine/quant/row_shards.h"

#include <algorithm>
#include <vector>

namespace aqlm {
namespace {

// Shards of at least 64 rows keep every rank's products out of BLAS's small-matrix paths (whose results
// for a row can depend on how many rows there are); at most 64 shards bound the partial sums one
// process adds (for a 1x16g8 layer 2 MiB each).
constexpr int64_t kMinShardRows = 64;
constexpr int64_t kMaxShards = 64;

}  // namespace

RowShards::RowShards(int64_t rows, ProcessGroup* group)
    : m_rows(rows),
      m_shards(std::min(kMaxShards, std::max<int64_t>(1, rows / kMinShardRows))),
      m_group(group && group->worldSize() > 1 ? group : nullptr),
      m_ranks(m_group ? m_group->worldSize() : 1) {
    const auto own = shardsOf(m_group ? m_group->rank() : 0);
    m_ownBegin = shardBegin(own.first);
    m_ownEnd = shardBegin(own.second);
}

int RowShards::ownerOf(int64_t shard) const { return static_cast<int>(shard * m_ranks / m_shards); }

std::pair<int64_t, int64_t> RowShards::shardsOf(int rank) const {
    int64_t first = 0;
    while (first < m_shards && ownerOf(first) < rank) ++first;
    int64_t end = first;
    while (end < m_shards && ownerOf(end) == rank) ++end;
    return {first, end};
}

at::Tensor RowShards::sumOverShards(at::IntArrayRef sizes, const at::TensorOptions& options,
                                    const std::function<at::Tensor(int64_t, int64_t)>& partial) const {
    at::Tensor total;
    auto add = [&total](const at::Tensor& p) {
        if (total.defined())
            total.add_(p);
        else
            total = p.clone();
    };
    if (!m_group) {
        for (int64_t s = 0; s < m_shards; ++s) add(partial(shardBegin(s), shardBegin(s + 1)));
        return total;
    }
    // Rank by rank (the owners' shards are contiguous and in rank order): one broadcast per rank of
    // its shards' partials, added in shard order; only one rank's partials are held at a time.
    for (int r = 0; r < m_ranks; ++r) {
        const auto [first, end] = shardsOf(r);
        if (first == end) continue;
        std::vector<int64_t> stackSizes{end - first};
        stackSizes.insert(stackSizes.end(), sizes.begin(), sizes.end());
        at::Tensor stack = at::empty(stackSizes, options);
        if (r == m_group->rank())
            for (int64_t s = first; s < end; ++s) stack[s - first].copy_(partial(shardBegin(s), shardBegin(s + 1)));
        m_group->broadcast(stack, r);
        for (int64_t s = first; s < end; ++s) add(stack[s - first]);
    }
    return total;
}

at::Tensor RowShards::gatherRows(const at::Tensor& localRows) const {
    if (!m_group) return localRows;
    std::vector<int64_t> sizes = localRows.sizes().vec();
    sizes[0] = m_rows;
    at::Tensor all = at::empty(sizes, localRows.options());
    own(all).copy_(localRows);
    for (int r = 0; r < m_ranks; ++r) {
        const auto [first, end] = shardsOf(r);
        if (first == end) continue;
        at::Tensor rows = all.narrow(0, shardBegin(first), shardBegin(end) - shardBegin(first));
        m_group->broadcast(rows, r);
    }
    return all;
}

double RowShards::sumOverRows(const at::Tensor& localPerRow) const {
    const at::Tensor all = gatherRows(localPerRow.to(at::kDouble).contiguous()).contiguous();
    const double* v = all.data_ptr<double>();
    double total = 0;
    for (int64_t i = 0; i < all.numel(); ++i) total += v[i];
    return total;
}

}  // namespace aqlm
