#include "engine/quant/kd_loss.h"

#include <c10/core/GradMode.h>

#include <algorithm>

namespace aqlm {

at::Tensor klDivergenceSum(const at::Tensor& teacherLogits, const at::Tensor& studentLogits) {
    const at::Tensor teacherLog = at::log_softmax(teacherLogits.to(at::kFloat), -1);
    const at::Tensor studentLog = at::log_softmax(studentLogits.to(at::kFloat), -1);
    return (teacherLog.exp() * (teacherLog - studentLog)).sum();
}

at::Tensor trunkHidden(const LlamaModel& model, const at::Tensor& tokens) {
    at::Tensor h = model.embed(tokens);
    for (int64_t l = 0; l < model.numBlocks(); ++l) h = model.blockForward(l, h, 0, nullptr);
    return h;
}

KdChunkTotals chunkedKd(const LlamaModel& teacher, const at::Tensor& teacherHidden, const LlamaModel& student,
                        const at::Tensor& studentHidden, int64_t chunkTokens, double gradScale,
                        const at::Tensor& targets) {
    const int64_t dim = studentHidden.size(-1);
    const at::Tensor student2 = studentHidden.reshape({-1, dim});
    const at::Tensor teacher2 = teacherHidden.reshape({-1, dim});
    const at::Tensor targets1 = targets.defined() ? targets.reshape({-1}) : at::Tensor();
    const int64_t n = student2.size(0);
    const int64_t chunk = std::max<int64_t>(1, chunkTokens);
    const bool backward = gradScale != 0 && studentHidden.requires_grad();
    // The head's input as a leaf: each chunk's backward stops here, and one backward through the
    // trunk follows with the gathered gradient.
    const at::Tensor leaf = backward ? student2.detach().requires_grad_(true) : student2;
    KdChunkTotals totals;
    totals.tokens = n;
    for (int64_t i = 0; i < n; i += chunk) {
        const int64_t rows = std::min(chunk, n - i);
        at::Tensor teacherLog;
        {
            c10::NoGradGuard noGrad;
            teacherLog = at::log_softmax(teacher.logits(teacher2.narrow(0, i, rows)).to(at::kFloat), -1);
        }
        c10::AutoGradMode gradMode(backward);
        const at::Tensor studentLog = at::log_softmax(student.logits(leaf.narrow(0, i, rows)).to(at::kFloat), -1);
        const at::Tensor kl = (teacherLog.exp() * (teacherLog - studentLog)).sum();
        if (targets1.defined()) {
            c10::NoGradGuard noGrad;
            const at::Tensor t = targets1.narrow(0, i, rows);
            const at::Tensor has = t.ge(0);
            const int64_t count = has.sum().item<int64_t>();
            if (count > 0) {
                const at::Tensor picked = studentLog.detach().gather(1, t.clamp_min(0).unsqueeze(1)).squeeze(1);
                totals.nllSum -= picked.masked_select(has).to(at::kDouble).sum().item<double>();
                totals.predictions += count;
            }
        }
        if (backward) (kl * gradScale).backward();
        totals.klSum += kl.item<double>();
    }
    if (backward && leaf.grad().defined()) student2.backward(leaf.grad());
    return totals;
}

}  // namespace aqlm
