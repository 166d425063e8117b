#include "engine/quant/distributed_compression.h"

#include "engine/api/engine_error.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/int_linear.h"

#include <algorithm>
#include <numeric>

namespace aqlm {

std::vector<int> assignLayersLargestFirst(const std::vector<int64_t>& sizes, int worldSize) {
    if (worldSize < 1) throw EngineError("", "world size must be at least 1");
    std::vector<size_t> order(sizes.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
    std::vector<int64_t> load(static_cast<size_t>(worldSize), 0);
    std::vector<int> owner(sizes.size(), 0);
    for (size_t layer : order) {
        const auto least = std::min_element(load.begin(), load.end());  // first of equals: the lower rank
        owner[layer] = static_cast<int>(least - load.begin());
        *least += sizes[layer];
    }
    return owner;
}

bool splitLayersByRows(const std::vector<int64_t>& sizes, int worldSize, LayerSplit split, QuantMethod method) {
    if (worldSize < 2 || method != QuantMethod::Aqlm || split == LayerSplit::Layers) return false;
    if (split == LayerSplit::Rows) return true;
    const std::vector<int> owners = assignLayersLargestFirst(sizes, worldSize);
    std::vector<int64_t> load(static_cast<size_t>(worldSize), 0);
    for (size_t i = 0; i < sizes.size(); ++i) load[static_cast<size_t>(owners[i])] += sizes[i];
    const double mean = double(std::accumulate(sizes.begin(), sizes.end(), int64_t(0))) / worldSize;
    return double(*std::max_element(load.begin(), load.end())) > 1.25 * mean;
}

namespace {

enum LinearKind : int64_t { kAqlm = 1, kInt = 2 };

}  // namespace

void broadcastLinear(ProcessGroup& group, std::unique_ptr<Linear>& linear, int root, const QuantScheme& scheme) {
    const bool isRoot = group.rank() == root;
    // Kind, then what the kind needs: integer layers also carry bits, group size and method.
    at::Tensor kind = at::zeros({4}, at::kLong);
    const auto* aqlm = isRoot ? dynamic_cast<const AqlmLinear*>(linear.get()) : nullptr;
    const auto* integer = isRoot ? dynamic_cast<const IntLinear*>(linear.get()) : nullptr;
    if (isRoot) {
        if (!aqlm && !integer) throw EngineError("", "only quantized layers are shared between ranks");
        kind[0] = aqlm ? kAqlm : kInt;
        if (integer) {
            kind[1] = integer->quantized().bits;
            kind[2] = integer->quantized().groupSize;
            kind[3] = static_cast<int64_t>(integer->method());
        }
    }
    group.broadcast(kind, root);
    if (kind[0].item<int64_t>() == kAqlm) {
        at::Tensor codes = broadcastTensor(group, isRoot ? aqlm->codes() : at::Tensor(), root);
        at::Tensor codebooks = broadcastTensor(group, isRoot ? aqlm->codebooks() : at::Tensor(), root);
        at::Tensor scales = broadcastTensor(group, isRoot ? aqlm->scales() : at::Tensor(), root);
        if (!isRoot) linear = std::make_unique<AqlmLinear>(codes, codebooks, scales, scheme);
        return;
    }
    IntQuantized q;
    if (isRoot) q = integer->quantized();
    q.qweight = broadcastTensor(group, q.qweight, root);
    q.scales = broadcastTensor(group, q.scales, root);
    q.zeros = broadcastTensor(group, q.zeros, root);
    q.groupIndex = broadcastTensor(group, q.groupIndex, root);
    q.bits = static_cast<int>(kind[1].item<int64_t>());
    q.groupSize = static_cast<int>(kind[2].item<int64_t>());
    if (!isRoot) linear = std::make_unique<IntLinear>(q, static_cast<QuantMethod>(kind[3].item<int64_t>()));
}

void broadcastBlock(ProcessGroup& group, LlamaBlock& block, int root, const QuantScheme& scheme) {
    block.attnNorm = broadcastTensor(group, block.attnNorm, root);
    block.ffnNorm = broadcastTensor(group, block.ffnNorm, root);
    for (Sublayer s : kAllSublayers) broadcastLinear(group, block.linear(s), root, scheme);
}

void shareBatches(ProcessGroup& group, at::Tensor& tensor, int64_t batch) {
    for (int64_t i = 0, index = 0; i < tensor.size(0); i += batch, ++index) {
        at::Tensor rows = tensor.narrow(0, i, std::min(batch, tensor.size(0) - i));
        group.broadcast(rows, batchOwner(index, group.worldSize()));
    }
}

}  // namespace aqlm
