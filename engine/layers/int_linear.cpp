#include "engine/layers/int_linear.h"

namespace aqlm {

at::Tensor intDecode(const IntQuantized& q) {
    auto index = q.groupIndex.to(at::kLong);
    auto scales = q.scales.index_select(1, index);  // [dOut, dIn]
    auto zeros = q.zeros.index_select(1, index);
    return (q.qweight.to(at::kFloat) - zeros) * scales;
}

IntLinear::IntLinear(IntQuantized quantized, QuantMethod method)
    : m_q(std::move(quantized)), m_method(method), m_decoded(intDecode(m_q)) {}

std::string IntLinear::describe() const {
    return std::string(quantMethodName(m_method)) + " " + intSchemeLabel(m_q.bits, m_q.groupSize) + " (decode + BLAS)";
}

}  // namespace aqlm
