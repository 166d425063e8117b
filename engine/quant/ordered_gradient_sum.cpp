#include "engine/quant/ordered_gradient_sum.h"

#include "engine/api/engine_error.h"

namespace aqlm {
namespace {

void clearGradients(const std::vector<at::Tensor>& leaves) {
    for (const auto& leaf : leaves) leaf.mutable_grad() = at::Tensor();
}

int64_t totalElements(const std::vector<at::Tensor>& leaves) {
    int64_t n = 0;
    for (const auto& leaf : leaves) n += leaf.numel();
    return n;
}

// The leaves' gradients one after another (zeros for a leaf without one).
void flattenGradients(const std::vector<at::Tensor>& leaves, at::Tensor& flat) {
    int64_t offset = 0;
    for (const auto& leaf : leaves) {
        at::Tensor part = flat.narrow(0, offset, leaf.numel());
        const at::Tensor g = leaf.grad();
        if (g.defined()) part.copy_(g.reshape({-1}));
        else part.zero_();
        offset += leaf.numel();
    }
}

void addFlat(std::vector<at::Tensor>& sums, const at::Tensor& flat) {
    int64_t offset = 0;
    for (auto& sum : sums) {
        sum.add_(flat.narrow(0, offset, sum.numel()).view(sum.sizes()));
        offset += sum.numel();
    }
}

}  // namespace

std::vector<double> sumShardGradients(const std::vector<at::Tensor>& leaves, int64_t shards,
                                      const std::function<double(int64_t)>& computeShard, ProcessGroup* group) {
    if (group && group->worldSize() == 1) group = nullptr;
    const int world = group ? group->worldSize() : 1, me = group ? group->rank() : 0;
    std::vector<at::Tensor> sums;
    for (const auto& leaf : leaves) {
        const auto type = leaf.scalar_type();
        if (type != at::kFloat && type != at::kHalf && type != at::kBFloat16)
            throw EngineError("", "data-parallel gradients travel as fp32: fp32, fp16 or bf16 parameters only");
        sums.push_back(at::zeros(leaf.sizes(), leaf.options().requires_grad(false)));
    }
    std::vector<double> losses(static_cast<size_t>(std::max<int64_t>(shards, 0)), 0.0);
    at::Tensor mine, theirs, loss;  // distributed only: this rank's shard, a received one, a shard's loss
    if (group) {
        mine = at::zeros({totalElements(leaves)}, at::kFloat);
        theirs = at::empty_like(mine);
        loss = at::zeros({1}, at::kDouble);
    }
    for (int64_t first = 0; first < shards; first += world) {
        const int64_t own = first + me;
        if (own < shards) {
            clearGradients(leaves);
            losses[static_cast<size_t>(own)] = computeShard(own);
            if (!group) {
                for (size_t i = 0; i < leaves.size(); ++i) {
                    const at::Tensor g = leaves[i].grad();
                    if (g.defined()) sums[i].add_(g);
                }
                continue;
            }
            flattenGradients(leaves, mine);
        }
        for (int r = 0; r < world && first + r < shards; ++r) {  // shard order within the round
            at::Tensor& gradient = r == me ? mine : theirs;
            group->broadcast(gradient, r);
            addFlat(sums, gradient);
            loss.fill_(losses[static_cast<size_t>(first + r)]);
            group->broadcast(loss, r);
            losses[static_cast<size_t>(first + r)] = loss.item<double>();
        }
    }
    for (size_t i = 0; i < leaves.size(); ++i) leaves[i].mutable_grad() = sums[i];
    return losses;
}

void shareOwnedRows(ProcessGroup* group, at::Tensor& rows) {
    if (!group || group->worldSize() == 1) return;
    const int world = group->worldSize(), me = group->rank();
    for (int64_t i = 0; i < rows.size(0); ++i)
        if (shardOwner(i, world) != me) rows[i].zero_();
    group->allreduceSum(rows);
}

}  // namespace aqlm
