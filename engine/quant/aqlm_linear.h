#pragma once
// A linear layer stored as AQLM codes: W[i, j*g:(j+1)*g] = scales[i] * sum_m codebooks[m, codes[i,j,m]].
// Runs by decoding the weight once (cached) and using dense BLAS: the reference path that fast
// kernels are checked against.
#include "engine/api/quant_types.h"
#include "engine/model/linear.h"

#include <ATen/ATen.h>

namespace aqlm {

// codes [dOut, dIn/g, M] int32 in [0, 2^B); codebooks [M, 2^B, 1, g] fp32; scales [dOut, 1, 1, 1] fp32.
at::Tensor aqlmDecode(const at::Tensor& codes, const at::Tensor& codebooks, const at::Tensor& scales);

class AqlmLinear : public Linear {
public:
    AqlmLinear(at::Tensor codes, at::Tensor codebooks, at::Tensor scales, QuantScheme scheme);

    at::Tensor forward(const at::Tensor& x) const override;
    at::Tensor denseWeight() const override { return m_decoded; }
    int64_t inFeatures() const override { return m_codes.size(1) * m_scheme.inGroupSize; }
    int64_t outFeatures() const override { return m_codes.size(0); }
    std::string describe() const override;

    const at::Tensor& codes() const { return m_codes; }
    const at::Tensor& codebooks() const { return m_codebooks; }
    const at::Tensor& scales() const { return m_scales; }
    const QuantScheme& scheme() const { return m_scheme; }
    // After codebooks/scales change (fine-tuning), re-decode the cached weight.
    void setParameters(at::Tensor codebooks, at::Tensor scales);

private:
    at::Tensor m_codes, m_codebooks, m_scales;
    QuantScheme m_scheme;
    at::Tensor m_decoded;  // [dOut, dIn] fp32
};

}  // namespace aqlm
