#include "engine/quant/aqlm_linear.h"

#include "engine/api/engine_error.h"

namespace aqlm {

at::Tensor aqlmDecode(const at::Tensor& codes, const at::Tensor& codebooks, const at::Tensor& scales) {
    const int64_t dOut = codes.size(0), groups = codes.size(1), M = codes.size(2);
    const int64_t g = codebooks.size(3);
    auto flat = codebooks.reshape({M, codebooks.size(1), g});
    auto weight = at::zeros({dOut, groups, g}, codebooks.options());
    for (int64_t m = 0; m < M; ++m)
        weight = weight + at::embedding(flat[m], codes.select(2, m).to(at::kLong));
    return weight.reshape({dOut, groups * g}) * scales.reshape({dOut, 1});
}

AqlmLinear::AqlmLinear(at::Tensor codes, at::Tensor codebooks, at::Tensor scales, QuantScheme scheme)
    : m_codes(codes.to(at::kInt).contiguous()),
      m_codebooks(codebooks.to(at::kFloat).contiguous()),
      m_scales(scales.to(at::kFloat).reshape({codes.size(0), 1, 1, 1}).contiguous()),
      m_scheme(scheme) {
    if (m_codes.dim() != 3 || m_codes.size(2) != scheme.numCodebooks)
        throw EngineError("", "AQLM codes must be [d_out, d_in/g, M] with M = " + std::to_string(scheme.numCodebooks));
    if (m_codebooks.dim() != 4 || m_codebooks.size(0) != scheme.numCodebooks ||
        m_codebooks.size(1) != scheme.codebookSize() || m_codebooks.size(3) != scheme.inGroupSize)
        throw EngineError("", "AQLM codebooks must be [M, 2^B, 1, g] for scheme " + scheme.toString());
    m_decoded = aqlmDecode(m_codes, m_codebooks, m_scales);
}

void AqlmLinear::setParameters(at::Tensor codebooks, at::Tensor scales) {
    m_codebooks = codebooks.detach().to(at::kFloat).contiguous();
    m_scales = scales.detach().to(at::kFloat).reshape({m_codes.size(0), 1, 1, 1}).contiguous();
    m_decoded = aqlmDecode(m_codes, m_codebooks, m_scales);
}

at::Tensor AqlmLinear::forward(const at::Tensor& x) const { return denseForward(x, m_decoded); }

std::string AqlmLinear::describe() const { return "aqlm " + m_scheme.toString() + " (decode + BLAS)"; }

}  // namespace aqlm
