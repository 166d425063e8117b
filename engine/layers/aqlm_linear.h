#pragma once
// A linear layer stored as AQLM codes: W[i, j*g:(j+1)*g] = scales[i] * sum_m codebooks[m, codes[i,j,m]].
// Inference runs fused kernels on the packed codes (engine/layers/kernels): the dense weight is never
// held; denseWeight() decodes on demand for the compression pipeline and checkpoint writers.
#include "engine/api/quant_types.h"
#include "engine/layers/linear.h"
#include "engine/layers/kernels/cpu_kernels.h"
#include "engine/layers/kernels/kernel_select.h"
#include "engine/layers/kernels/packed_codes.h"

#include <ATen/ATen.h>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace aqlm {
namespace kernels {
struct CudaWeights;
}

// The reference decode (plain Torch ops, differentiable in codebooks and scales).
// codes [dOut, dIn/g, M] int in [0, 2^B); codebooks [M, 2^B, 1, g] fp32; scales [dOut, 1, 1, 1] fp32.
at::Tensor aqlmDecode(const at::Tensor& codes, const at::Tensor& codebooks, const at::Tensor& scales);

class AqlmLinear : public Linear {
public:
    AqlmLinear(at::Tensor codes, at::Tensor codebooks, at::Tensor scales, QuantScheme scheme);

    // Picks the kernel by device, scheme and token count (kernels::chooseKernel); inputs that need
    // gradients take the reference path.
    at::Tensor forward(const at::Tensor& x) const override;
    at::Tensor denseWeight() const override;
    int64_t inFeatures() const override { return m_packed.groups() * m_scheme.inGroupSize; }
    int64_t outFeatures() const override { return m_packed.dOut(); }
    std::string describe() const override;

    // Unpacked [dOut, dIn/g, M] int32 copy (the layer keeps only the packed 8/16-bit codes).
    at::Tensor codes() const { return m_packed.unpack(); }
    const at::Tensor& codebooks() const { return m_codebooks; }
    const at::Tensor& scales() const { return m_scales; }
    const QuantScheme& scheme() const { return m_scheme; }
    int64_t packedCodeBytes() const { return m_packed.bytes(); }
    kernels::KernelChoice kernelFor(int64_t tokens, bool cuda = false) const;
    // This layer's 16-bit-table parts when forward(x) would run that kernel, else nothing.
    std::optional<kernels::LutInt16Layer> lutInt16For(const at::Tensor& x) const;
    // After codebooks/scales change (fine-tuning).
    void setParameters(at::Tensor codebooks, at::Tensor scales);

private:
    void prepareKernels();
    // The kernel forward(x) runs: selectKernel's choice, or the reference decode for inputs that need
    // gradients or are not fp32 on the CPU.
    kernels::AqlmKernel kernelForInput(const at::Tensor& x) const;

    kernels::PackedCodes m_packed;
    at::Tensor m_codebooks, m_scales;
    at::Tensor m_codebookT;  // [M, g, K] for the lookup-table kernel (B <= 8)
    at::Tensor m_codebookHalf;  // exact fp16 copy for the 16-bit-codebook kernel, when one exists
    // Device copies for CUDA inputs (engines built with a CUDA LibTorch), made on first use.
    mutable std::shared_ptr<kernels::CudaWeights> m_cuda;
    mutable std::mutex m_cudaMutex;
    QuantScheme m_scheme;
};

// forward(x) of every layer, in order, with the same results; AQLM layers that would all run the
// 16-bit-table kernel on x (q/k/v, gate/up of a decode step) share one parallel region.
std::vector<at::Tensor> forwardSameInput(const std::vector<const Linear*>& layers, const at::Tensor& x);

}  // namespace aqlm
