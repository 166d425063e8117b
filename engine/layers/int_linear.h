#pragma once
// Group-wise integer linear layer used by the RTN and GPTQ baselines:
// W[i, j] = (q[i, j] - zeros[i, gidx[j]]) * scales[i, gidx[j]].
#include "engine/api/quant_types.h"
#include "engine/layers/linear.h"

#include <ATen/ATen.h>

namespace aqlm {

struct IntQuantized {
    at::Tensor qweight;  // [dOut, dIn] uint8, values in [0, 2^bits)
    at::Tensor scales;   // [dOut, nGroups] fp32
    at::Tensor zeros;    // [dOut, nGroups] fp32 (integer-valued zero points)
    at::Tensor groupIndex;  // [dIn] int32: group of each input column (act-order reorders groups)
    int bits = 4;
    int groupSize = 128;
};

at::Tensor intDecode(const IntQuantized& q);

class IntLinear : public Linear {
public:
    IntLinear(IntQuantized quantized, QuantMethod method);  // Rtn or Gptq
    at::Tensor forward(const at::Tensor& x) const override { return denseForward(x, m_decoded); }
    at::Tensor denseWeight() const override { return m_decoded; }
    int64_t inFeatures() const override { return m_q.qweight.size(1); }
    int64_t outFeatures() const override { return m_q.qweight.size(0); }
    std::string describe() const override;
    const IntQuantized& quantized() const { return m_q; }
    QuantMethod method() const { return m_method; }

private:
    IntQuantized m_q;
    QuantMethod m_method;
    at::Tensor m_decoded;
};

}  // namespace aqlm
