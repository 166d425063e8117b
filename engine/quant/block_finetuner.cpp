#include "engine/quant/block_finetuner.h"
#include "engine/quant/adam.h"
#include "engine/quant/ordered_gradient_sum.h"

#include "engine/layers/aqlm_linear.h"

#include <c10/core/GradMode.h>

#include <limits>
#include <random>

namespace aqlm {
namespace {

// AqlmLinear whose weight is decoded from trainable codebooks/scales on every call, so gradients
// flow to them through the decode.
class TrainableAqlmLinear : public Linear {
public:
    TrainableAqlmLinear(const AqlmLinear& source, at::Tensor codebooks, at::Tensor scales)
        : m_codes(source.codes()), m_codebooks(std::move(codebooks)), m_scales(std::move(scales)) {}
    at::Tensor forward(const at::Tensor& x) const override {
        return at::linear(x, aqlmDecode(m_codes, m_codebooks, m_scales));
    }
    at::Tensor denseWeight() const override { return aqlmDecode(m_codes, m_codebooks, m_scales).detach(); }
    int64_t inFeatures() const override { return m_codes.size(1) * m_codebooks.size(3); }
    int64_t outFeatures() const override { return m_codes.size(0); }
    std::string describe() const override { return "aqlm (training)"; }

private:
    at::Tensor m_codes, m_codebooks, m_scales;
};

struct TrainedParameter {
    at::Tensor param;
    AdamMoments moments;
};

// The block's AQLM codebooks and scales and its norms swapped for trainable copies; restore()
// puts the inference layers back with the given values (in the order of params()).
class TrainableBlock {
public:
    explicit TrainableBlock(LlamaBlock& block) : m_block(block) {
        for (Sublayer s : kAllSublayers) {
            auto* aqlm = dynamic_cast<AqlmLinear*>(block.linear(s).get());
            if (!aqlm) continue;
            auto codebooks = trainable(aqlm->codebooks());
            auto scales = trainable(aqlm->scales());
            auto replacement = std::make_unique<TrainableAqlmLinear>(*aqlm, codebooks, scales);
            m_originals[s] = std::move(block.linear(s));
            block.linear(s) = std::move(replacement);
        }
        block.attnNorm = trainable(block.attnNorm);
        block.ffnNorm = trainable(block.ffnNorm);
    }

    std::vector<TrainedParameter>& params() { return m_params; }
    std::vector<at::Tensor> snapshot() const {
        std::vector<at::Tensor> values;
        for (const auto& p : m_params) values.push_back(p.param.detach().clone());
        return values;
    }

    void restore(const std::vector<at::Tensor>& values) {
        size_t k = 0;
        for (Sublayer s : kAllSublayers) {
            auto it = m_originals.find(s);
            if (it == m_originals.end()) continue;
            static_cast<AqlmLinear&>(*it->second).setParameters(values[k], values[k + 1]);
            k += 2;
            m_block.linear(s) = std::move(it->second);
        }
        m_block.attnNorm = values[k].detach();
        m_block.ffnNorm = values[k + 1].detach();
    }

private:
    at::Tensor trainable(const at::Tensor& t) {
        auto p = t.detach().clone().requires_grad_(true);
        m_params.push_back({p, AdamMoments(t)});
        return p;
    }

    LlamaBlock& m_block;
    std::vector<TrainedParameter> m_params;
    std::map<Sublayer, std::unique_ptr<Linear>> m_originals;
};

// Mean MSE of the block's outputs against the targets over windows [begin, end), in batches of
// `batch` windows. With a group, batch k runs on rank k % worldSize and the batch sums are added in
// batch order on every rank: the same number as one process.
double meanLoss(const LlamaModel& model, int64_t layer, const at::Tensor& inputs, const at::Tensor& targets,
                int64_t begin, int64_t end, int64_t batch, ProcessGroup* group) {
    c10::NoGradGuard noGrad;
    const int world = group ? group->worldSize() : 1, me = group ? group->rank() : 0;
    const int64_t batches = (std::max<int64_t>(end - begin, 0) + batch - 1) / batch;
    at::Tensor sums = at::zeros({batches, 1}, at::kDouble);
    for (int64_t k = 0; k < batches; ++k) {
        if (shardOwner(k, world) != me) continue;
        const int64_t i = begin + k * batch, b = std::min(batch, end - i);
        auto out = model.blockForward(layer, inputs.narrow(0, i, b), 0, nullptr);
        sums[k][0] = at::mse_loss(out, targets.narrow(0, i, b)).item<double>() * b;
    }
    shareOwnedRows(group, sums);
    double sum = 0;
    for (int64_t k = 0; k < batches; ++k) sum += sums[k][0].item<double>();
    return sum / static_cast<double>(std::max<int64_t>(end - begin, 1));
}

// One pass over the training windows in the given order, an Adam step per mini-batch; returns the
// summed loss (one MSE per window). A mini-batch's gradient is the sum of its windows' gradients in
// mini-batch order, divided by its size: window j of the mini-batch runs on rank j % worldSize
// (sumShardGradients), so any number of ranks computes the same step as one process.
double trainOneEpoch(LlamaModel& model, int64_t layer, const at::Tensor& inputs, const at::Tensor& targets,
                     const std::vector<int64_t>& order, int64_t batch, std::vector<TrainedParameter>& params,
                     const AdamSettings& adam, int64_t& step, const CancelToken* cancel, ProcessGroup* group) {
    const int64_t train = static_cast<int64_t>(order.size());
    std::vector<at::Tensor> leaves;
    for (auto& p : params) leaves.push_back(p.param);
    double trainSum = 0;
    for (int64_t i = 0; i < train; i += batch) {
        if (cancel) cancel->throwIfCancelled();
        const int64_t b = std::min(batch, train - i);
        auto windowGradient = [&](int64_t j) {
            const int64_t w = order[static_cast<size_t>(i + j)];
            c10::AutoGradMode enable(true);
            auto out = model.blockForward(layer, inputs.narrow(0, w, 1), 0, nullptr);
            auto loss = at::mse_loss(out, targets.narrow(0, w, 1));
            loss.backward();
            return loss.item<double>();
        };
        for (double loss : sumShardGradients(leaves, b, windowGradient, group)) trainSum += loss;
        ++step;
        c10::NoGradGuard noGrad;
        for (auto& p : params) {
            auto grad = p.param.grad();
            if (!grad.defined()) continue;
            grad.div_(static_cast<double>(b));
            p.moments.update(p.param, grad, adam, step);
            p.param.mutable_grad() = at::Tensor();
        }
    }
    return trainSum;
}

}  // namespace

FinetuneResult finetuneBlock(LlamaModel& model, int64_t layer, const at::Tensor& inputs, const at::Tensor& targets,
                             const CompressionOptions& options,
                             const std::function<void(int, double, double)>& onEpoch, const CancelToken* cancel,
                             ProcessGroup* group) {
    TrainableBlock trainable(model.block(layer));
    const int64_t n = inputs.size(0);
    const int64_t validation = std::max<int64_t>(1, static_cast<int64_t>(n * options.validationFraction));
    const int64_t train = n - validation;
    const int64_t batch = std::max<int64_t>(1, options.finetuneBatch);
    auto validationLoss = [&] { return meanLoss(model, layer, inputs, targets, train, n, batch, group); };

    FinetuneResult result;
    result.initialValidationLoss = result.bestValidationLoss = validationLoss();
    std::vector<at::Tensor> best = trainable.snapshot();
    AdamSettings adam;
    adam.learningRate = options.finetuneLearningRate;
    int64_t step = 0;
    int sinceImprovement = 0;
    std::mt19937_64 rng(options.seed + 7919 * static_cast<uint64_t>(layer));
    std::vector<int64_t> order(static_cast<size_t>(std::max<int64_t>(train, 0)));
    for (int64_t i = 0; i < train; ++i) order[static_cast<size_t>(i)] = i;

    for (int epoch = 1; epoch <= options.finetuneEpochs && train > 0; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        const double trainSum =
            trainOneEpoch(model, layer, inputs, targets, order, batch, trainable.params(), adam, step, cancel, group);
        const double valid = validationLoss();
        result.epochs = epoch;
        if (onEpoch) onEpoch(epoch, trainSum / std::max<int64_t>(train, 1), valid);
        if (valid < result.bestValidationLoss) {
            result.bestValidationLoss = valid;
            best = trainable.snapshot();
            sinceImprovement = 0;
        } else if (++sinceImprovement >= 3) {
            break;
        }
    }
    trainable.restore(best);
    return result;
}

}  // namespace aqlm
