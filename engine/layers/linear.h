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

// y = x W^T for x [..., in] fp32 and W [out, in] in fp32, fp16 or bf16 (the stored precision: half
// weights are read by fp16/bf16 kernels that accumulate in fp32, never widened as a whole).
at::Tensor denseForward(const at::Tensor& x, const at::Tensor& weight);

// A dense projection over its weight as stored: fp32, or fp16 / bf16 used in place (typically a
// read-only mapping of the checkpoint: the weight is never written).
class DenseLinear : public Linear {
public:
    explicit DenseLinear(at::Tensor weight);  // [out, in]; made contiguous, dtype kept
    at::Tensor forward(const at::Tensor& x) const override;
    at::Tensor denseWeight() const override;  // fp32 (a converted copy for half weights)
    int64_t inFeatures() const override { return m_weight.size(1); }
    int64_t outFeatures() const override { return m_weight.size(0); }
    std::string describe() const override;
    const at::Tensor& storedWeight() const { return m_weight; }

private:
    at::Tensor m_weight;
};

}  // namespace aqlm
