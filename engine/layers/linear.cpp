#include "engine/layers/linear.h"

namespace aqlm {

DenseLinear::DenseLinear(at::Tensor weight)
    : m_weight(weight.to(at::kFloat).contiguous()) {}

at::Tensor denseForward(const at::Tensor& x, const at::Tensor& weight) {
    // A single row goes through gemv: OpenBLAS's gemm repacks the whole weight on every call,
    // which made one-token decoding several times slower than the matrix-vector product.
    if (x.numel() == x.size(-1)) {
        auto sizes = x.sizes().vec();
        sizes.back() = weight.size(0);
        return at::mv(weight, x.reshape({x.size(-1)})).view(sizes);
    }
    return at::linear(x, weight);
}

at::Tensor DenseLinear::forward(const at::Tensor& x) const {
    return denseForward(x, m_weight);
}

}  // namespace aqlm
