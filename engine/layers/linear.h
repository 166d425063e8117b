#pragma once
// The one interface every linear layer of the decoder sits behind, so that dense and
// quantized (AQLM, GPTQ, RTN) layers are interchangeable inside a model.
#include <ATen/ATen.h>

#include <memory>
#include <string>

namespace aqlm {

class Linear {
public:
    virtual ~Linear() = default;
    // x: [..., inFeatures] fp32 -> [..., outFeatures]
    virtual at::Tensor forward(const at::Tensor& x) const = 0;
    // Dense fp32 [outFeatures, inFeatures] equivalent of this layer (decoded for quantized ones).
    virtual at::Tensor denseWeight() const = 0;
    virtual int64_t inFeatures() const = 0;
    virtual int64_t outFeatures() const = 0;
    // Short description for `aqlm info`, e.g. "dense fp32".
    virtual std::string describe() const = 0;
};

// y = x W^T for x [..., in] and W [out, in], using gemv for a single row.
at::Tensor denseForward(const at::Tensor& x, const at::Tensor& weight);

class DenseLinear : public Linear {
public:
    explicit DenseLinear(at::Tensor weight);  // [out, in]; made contiguous fp32
    at::Tensor forward(const at::Tensor& x) const override;
    at::Tensor denseWeight() const override { return m_weight; }
    int64_t inFeatures() const override { return m_weight.size(1); }
    int64_t outFeatures() const override { return m_weight.size(0); }
    std::string describe() const override { return "dense fp32"; }
    at::Tensor& weight() { return m_weight; }

private:
    at::Tensor m_weight;
};

}  // namespace aqlm
