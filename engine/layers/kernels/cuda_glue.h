#pragma once
// LibTorch CUDA tensors -> engine/cuda kernels. Compiled only when the LibTorch found has CUDA
// (AQLM_TORCH_CUDA); a CPU-only engine never includes the CUDA runtime.
#include "engine/api/quant_types.h"
#include "engine/layers/kernels/kernel_select.h"
#include "engine/layers/kernels/packed_codes.h"

#include <ATen/ATen.h>

#include <memory>

namespace aqlm::kernels {

// fp16 device copies of one layer, uploaded on its first CUDA call.
struct CudaWeights {
    at::Tensor codes;      // uint8 (B <= 8) or int16 bit patterns [dOut, groups, M]
    at::Tensor codebooks;  // half [M, K, g]
    at::Tensor scales;     // half [dOut]
};

std::shared_ptr<CudaWeights> uploadCuda(const PackedCodes& codes, const at::Tensor& codebooks,
                                        const at::Tensor& scales, const QuantScheme& scheme, at::Device device);
// x [n, dIn] on the device (any float dtype) -> [n, dOut] in x's dtype.
at::Tensor cudaForward(const CudaWeights& w, const QuantScheme& scheme, const at::Tensor& x, AqlmKernel kernel);
// Waits for the current stream (benchmarks).
void cudaSynchronize();

}  // namespace aqlm::kernels
