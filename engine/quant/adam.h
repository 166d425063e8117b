#pragma once
// Adam with the paper's betas (0.9, 0.95), shared by the layer quantizer (codebooks and scales
// through H) and block fine-tuning (codebooks, scales, norms).
#include <ATen/ATen.h>

#include <cmath>
#include <cstdint>

namespace aqlm {

struct AdamSettings {
    double learningRate = 1e-4;
    double beta1 = 0.9, beta2 = 0.95, eps = 1e-8;
};

// First and second moments of one parameter tensor.
class AdamMoments {
public:
    explicit AdamMoments(const at::Tensor& like) : m_first(at::zeros_like(like)), m_second(at::zeros_like(like)) {}
    // One update of `param` in place with gradient `grad`; step counts from 1 (bias correction).
    void update(at::Tensor& param, const at::Tensor& grad, const AdamSettings& s, int64_t step) {
        const double bc1 = 1.0 - std::pow(s.beta1, double(step));
        const double bc2 = 1.0 - std::pow(s.beta2, double(step));
        m_first.mul_(s.beta1).add_(grad, 1.0 - s.beta1);
        m_second.mul_(s.beta2).addcmul_(grad, grad, 1.0 - s.beta2);
        param.addcdiv_(m_first, (m_second / bc2).sqrt_().add_(s.eps), -s.learningRate / bc1);
    }

    // The moments themselves (fine-tuning checkpoints save and restore them).
    at::Tensor& first() { return m_first; }
    at::Tensor& second() { return m_second; }

private:
    at::Tensor m_first, m_second;
};

}  // namespace aqlm
