#include "engine/quant/pv_update.h"

#include "engine/layers/aqlm_linear.h"
#include "engine/quant/code_reencoder.h"

#include <c10/core/GradMode.h>

#include <cmath>

namespace aqlm {

int64_t pvUpdateLayer(TrainableAqlmLayer& layer, const at::Tensor& gradient, const PvSettings& s, int64_t step) {
    c10::NoGradGuard noGrad;
    const at::Tensor codebooks = layer.codebooks.detach(), scales = layer.scales.detach();
    if (!layer.buffer.defined()) {
        layer.buffer = aqlmDecode(layer.codes, codebooks, scales).clone();
        layer.bufferMoments = std::make_unique<AdamMoments>(layer.buffer);
    }
    if (gradient.defined()) {
        AdamSettings adam;
        adam.learningRate = s.codeLearningRate;
        adam.beta1 = 0.0;
        adam.beta2 = 0.95;
        layer.bufferMoments->update(layer.buffer, gradient, adam, step);
    }
    const int64_t dOut = layer.codes.size(0), G = layer.codes.size(1), M = layer.codes.size(2);
    const int64_t g = codebooks.size(3);
    const at::Tensor w = aqlmDecode(layer.codes, codebooks, scales);
    const int64_t groups = dOut * G;
    const int64_t k = std::min<int64_t>(groups, static_cast<int64_t>(std::ceil(s.tau * double(groups) - 1e-9)));
    int64_t changed = 0;
    if (k > 0) {
        const at::Tensor bufferGroups = layer.buffer.reshape({groups, g});
        const at::Tensor score = (bufferGroups - w.reshape({groups, g})).pow(2).sum(-1);
        const at::Tensor picked = std::get<1>(score.topk(k, 0, /*largest=*/true, /*sorted=*/true));  // priority order
        const at::Tensor rowScale = scales.reshape({dOut}).index_select(0, at::floor_divide(picked, G));
        const at::Tensor safeScale = at::where(rowScale.abs() < 1e-12, at::full_like(rowScale, 1e-12), rowScale);
        const at::Tensor targets = bufferGroups.index_select(0, picked) / safeScale.unsqueeze(1);
        const at::Tensor flatCodes = layer.codes.view({groups, M});
        const at::Tensor oldCodes = flatCodes.index_select(0, picked);
        const at::Tensor newCodes = reencodeNearest(targets, codebooks, oldCodes, s.beamSize);
        at::Tensor accept = newCodes.ne(oldCodes).any(-1);  // [k] in priority order
        if (s.trustRatio > 0 && accept.any().item<bool>()) {
            // ||ΔŴ||^2 of each group: scale^2 ||decode(new) - decode(old)||^2.
            const at::Tensor books = codebooks.reshape({M, codebooks.size(1), g});
            at::Tensor delta = at::zeros({k, g}, targets.options());
            for (int64_t m = 0; m < M; ++m)
                delta = delta + at::embedding(books[m], newCodes.select(1, m)) - at::embedding(books[m], oldCodes.select(1, m));
            const at::Tensor change = (delta.pow(2).sum(-1) * rowScale.pow(2)) * accept.to(at::kFloat);
            const double limit = std::pow(s.trustRatio * w.norm().item<double>(), 2);
            const at::Tensor cumulative = change.to(at::kDouble).cumsum(0);
            const at::Tensor first = accept.to(at::kLong).cumsum(0).eq(1).logical_and(accept);  // the first changed group
            accept = accept.logical_and(cumulative.le(limit).logical_or(first));
        }
        const at::Tensor rows = picked.masked_select(accept);
        changed = rows.numel();
        if (changed > 0) flatCodes.index_copy_(0, rows, newCodes.index_select(0, accept.nonzero().reshape({-1})));
    }
    if (s.deltaDecay > 0) {
        const at::Tensor wNew = changed > 0 ? aqlmDecode(layer.codes, codebooks, scales) : w;
        layer.buffer.mul_(1.0 - s.deltaDecay).add_(wNew, s.deltaDecay);
    }
    return changed;
}

}  // namespace aqlm
