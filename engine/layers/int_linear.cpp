#include "engine/layers/int_linear.h"

namespace aqlm {

at::Tensor intDecode(const IntQuantized& q) {
    auto index = q.groupIndex.to(at::kLong);
    auto scales = q.scales.index_select(1, index);  // [dOut, dIn]
    auto zeros = q.zeros.index_select(1, index);
    return (q.qweight.to(at::kFloat) - zeros) * scales;
}

IntLinear::IntLinear(IntQuantized quantized, std::string method)
    : m_q(std::move(quantized)), m_method(std::move(method)), m_decoded(intDecode(m_q)) {}

std::string IntLinear::describe() const {
    return m_method + " int" + std::to_string(m_q.bits) + " g" + std::to_string(m_q.groupSize) + " (decode + BLAS)";
}

}  // namespace aqlm
