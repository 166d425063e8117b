#pragma once
// Placeholder until the fp16/bf16 kernels land: widens per call.
#include <ATen/ATen.h>
namespace aqlm::kernels {
inline at::Tensor halfLinearForward(const at::Tensor& x, const at::Tensor& weight) {
    return at::linear(x, weight.to(at::kFloat));
}
}  // namespace aqlm::kernels
