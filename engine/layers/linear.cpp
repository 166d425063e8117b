#include "engine/layers/linear.h"

#include "engine/layers/kernels/dense_half_kernels.h"

namespace aqlm {

DenseLinear::DenseLinear(at::Tensor weight) : m_weight(weight.contiguous()) {}

at::Tensor denseForward(const at::Tensor& x, const at::Tensor& weight) {
    if (weight.scalar_type() != at::kFloat) return kernels::halfLinearForward(x, weight);
    // A single row goes through gemv: OpenBLAS's gemm repacks the whole weight on every call,
    // which made one-token decoding several times slower than the matrix-vector product.
    if (x.numel() == x.size(-1)) {
        auto sizes = x.sizes().vec();
        sizes.back() = weight.size(0);
        return at::mv(weight, x.reshape({x.size(-1)})).view(sizes);
    }
    return at::linear(x, weight);
}

at::Tensor DenseLinear::forward(const at::Tensor& x) const { return denseForward(x, m_weight); }

at::Tensor DenseLinear::denseWeight() const {
    return m_weight.scalar_type() == at::kFloat ? m_weight : m_weight.to(at::kFloat);
}

std::string DenseLinear::describe() const {
    switch (m_weight.scalar_type()) {
    case at::kHalf: return "dense fp16";
    case at::kBFloat16: return "dense bf16";
    default: return "dense fp32";
    }
}

}  // namespace aqlm
