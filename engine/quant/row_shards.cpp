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
    const int rank = m_group ? m_group->rank() : 0;
    int64_t first = -1, last = -1;
    for (int64_t s = 0; s < m_shards; ++s)
        if (ownerOf(s) == rank) {
            if (first < 0) first = s;
            last = s;
        }
    if (first >= 0) {
        m_ownBegin = shardBegin(first);
        m_ownEnd = shardBegin(last + 1);
    }
}

int RowShards::ownerOf(int64_t shard) const { return static_cast<int>(shard * m_ranks / m_shards); }

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
        std::vector<int64_t> shards;
        for (int64_t s = 0; s < m_shards; ++s)
            if (ownerOf(s) == r) shards.push_back(s);
        if (shards.empty()) continue;
        std::vector<int64_t> stackSizes{static_cast<int64_t>(shards.size())};
        stackSizes.insert(stackSizes.end(), sizes.begin(), sizes.end());
        at::Tensor stack = at::empty(stackSizes, options);
        if (r == m_group->rank())
            for (size_t i = 0; i < shards.size(); ++i)
                stack[int64_t(i)].copy_(partial(shardBegin(shards[i]), shardBegin(shards[i] + 1)));
        m_group->broadcast(stack, r);
        for (size_t i = 0; i < shards.size(); ++i) add(stack[int64_t(i)]);
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
        int64_t begin = -1, end = -1;
        for (int64_t s = 0; s < m_shards; ++s)
            if (ownerOf(s) == r) {
                if (begin < 0) begin = shardBegin(s);
                end = shardBegin(s + 1);
            }
        if (begin < 0) continue;
        at::Tensor rows = all.narrow(0, begin, end - begin);
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
