#include "engine/quant/block_finetuner.h"

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

struct AdamState {
    at::Tensor param, m, v;
};

}  // namespace

FinetuneResult finetuneBlock(LlamaModel& model, int64_t layer, const at::Tensor& inputs, const at::Tensor& targets,
                             const CompressionOptions& options,
                             const std::function<void(int, double, double)>& onEpoch, const CancelToken* cancel) {
    LlamaBlock& block = model.block(layer);
    std::vector<AdamState> params;
    auto trainable = [&](const at::Tensor& t) {
        auto p = t.detach().clone().requires_grad_(true);
        params.push_back({p, at::zeros_like(t), at::zeros_like(t)});
        return p;
    };
    // Swap in trainable copies; originals are restored with the best values at the end.
    std::map<Sublayer, std::unique_ptr<Linear>> originals;
    std::map<Sublayer, std::pair<at::Tensor, at::Tensor>> aqlmParams;
    for (Sublayer s : kAllSublayers) {
        auto* aqlm = dynamic_cast<AqlmLinear*>(block.linear(s).get());
        if (!aqlm) continue;
        auto codebooks = trainable(aqlm->codebooks());
        auto scales = trainable(aqlm->scales());
        aqlmParams[s] = {codebooks, scales};
        auto replacement = std::make_unique<TrainableAqlmLinear>(*aqlm, codebooks, scales);
        originals[s] = std::move(block.linear(s));
        block.linear(s) = std::move(replacement);
    }
    const at::Tensor originalAttnNorm = block.attnNorm, originalFfnNorm = block.ffnNorm;
    block.attnNorm = trainable(originalAttnNorm);
    block.ffnNorm = trainable(originalFfnNorm);

    const int64_t n = inputs.size(0);
    const int64_t validation = std::max<int64_t>(1, static_cast<int64_t>(n * options.validationFraction));
    const int64_t train = n - validation;
    const int64_t batch = std::max<int64_t>(1, options.finetuneBatch);
    auto validationLoss = [&]() {
        c10::NoGradGuard noGrad;
        double sum = 0;
        for (int64_t i = train; i < n; i += batch) {
            const int64_t b = std::min(batch, n - i);
            auto out = model.blockForward(layer, inputs.narrow(0, i, b), 0, nullptr);
            sum += at::mse_loss(out, targets.narrow(0, i, b)).item<double>() * b;
        }
        return sum / validation;
    };

    FinetuneResult result;
    result.initialValidationLoss = result.bestValidationLoss = validationLoss();
    std::vector<at::Tensor> best;
    for (auto& p : params) best.push_back(p.param.detach().clone());
    const double lr = options.finetuneLearningRate, beta1 = 0.9, beta2 = 0.95, eps = 1e-8;
    int64_t step = 0;
    int sinceImprovement = 0;
    std::mt19937_64 rng(options.seed + 7919 * static_cast<uint64_t>(layer));
    std::vector<int64_t> order(static_cast<size_t>(train));
    for (int64_t i = 0; i < train; ++i) order[static_cast<size_t>(i)] = i;

    for (int epoch = 1; epoch <= options.finetuneEpochs && train > 0; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        double trainSum = 0;
        for (int64_t i = 0; i < train; i += batch) {
            if (cancel) cancel->throwIfCancelled();
            const int64_t b = std::min(batch, train - i);
            auto index = at::tensor(std::vector<int64_t>(order.begin() + i, order.begin() + i + b), at::kLong);
            c10::AutoGradMode enable(true);
            auto out = model.blockForward(layer, inputs.index_select(0, index), 0, nullptr);
            auto loss = at::mse_loss(out, targets.index_select(0, index));
            loss.backward();
            trainSum += loss.item<double>() * b;
            ++step;
            c10::NoGradGuard noGrad;
            const double correction1 = 1 - std::pow(beta1, step), correction2 = 1 - std::pow(beta2, step);
            for (auto& p : params) {
                auto grad = p.param.grad();
                if (!grad.defined()) continue;
                p.m.mul_(beta1).add_(grad, 1 - beta1);
                p.v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
                auto update = (p.m / correction1) / ((p.v / correction2).sqrt() + eps);
                p.param.sub_(update * lr);
                grad.zero_();
            }
        }
        const double valid = validationLoss();
        result.epochs = epoch;
        if (onEpoch) onEpoch(epoch, trainSum / std::max<int64_t>(train, 1), valid);
        if (valid < result.bestValidationLoss) {
            result.bestValidationLoss = valid;
            for (size_t k = 0; k < params.size(); ++k) best[k] = params[k].param.detach().clone();
            sinceImprovement = 0;
        } else if (++sinceImprovement >= 3) {
            break;
        }
    }

    // Restore the inference layers with the best parameters (index order matches `params`).
    size_t k = 0;
    for (Sublayer s : kAllSublayers) {
        if (!aqlmParams.count(s)) continue;
        auto& original = originals[s];
        static_cast<AqlmLinear&>(*original).setParameters(best[k], best[k + 1]);
        k += 2;
        block.linear(s) = std::move(original);
    }
    block.attnNorm = best[k].detach();
    block.ffnNorm = best[k + 1].detach();
    return result;
}

}  // namespace aqlm
