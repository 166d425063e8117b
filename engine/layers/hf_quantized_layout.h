#pragma once
// The quantized Hugging Face tensor layout, read and written here only (formats: docs/FORMATS.md).
//   AQLM at prefix p:  p.codes I8/I16 [d_out, d_in/g, M] (codes >= 2^(B-1) stored as code - 2^B),
//                      p.codebooks F16 [M, 2^B, 1, g], p.scales F16 [d_out, 1, 1, 1]
//   Integer at p:      p.qweight U8 [d_out, d_in], p.scales / p.zeros F16 [d_out, n_groups],
//                      p.g_idx I32 [d_in]
// and config.json's "quantization_config" that announces them.
#include "engine/api/quant_types.h"
#include "engine/io/model_config.h"
#include "engine/io/safetensors.h"
#include "engine/layers/hf_quantization_config.h"
#include "engine/layers/linear.h"
#include "engine/layers/mapped_tensors.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace aqlm {

// The quantized projection stored under prefix p, in the row order of the file.
std::unique_ptr<Linear> readHfAqlmLinear(const HfTensorSource& source, const std::string& p, int64_t dOut,
                                         int64_t dIn, const QuantScheme& scheme);
std::unique_ptr<Linear> readHfIntLinear(const HfTensorSource& source, const std::string& p, int64_t dOut,
                                        int64_t dIn, const HfQuantization& q);

// Row order of q/k projections between the two RoPE layouts (identity when from == to).
at::Tensor reorderRopeRows(const at::Tensor& rowsFirst, int64_t heads, RopeLayout from, RopeLayout to);
// The primitive permutations (Meta/llama2.c interleaved <-> Hugging Face rotate-half).
at::Tensor hfToInterleavedRows(const at::Tensor& weight, int64_t heads);
at::Tensor interleavedToHfRows(const at::Tensor& weight, int64_t heads);

// The same projection with its output rows (q/k) moved from one RoPE layout to the other: dense
// weights, AQLM codes and scales, integer codes, scales and zeros.
std::unique_ptr<Linear> reorderLinearRows(const Linear& layer, int64_t heads, RopeLayout from, RopeLayout to);

// Tensors to write into one safetensors file, with the buffers they point into kept alive.
class TensorList {
public:
    void add(const std::string& name, DType dtype, const at::Tensor& tensor);
    void addF16(const std::string& name, const at::Tensor& t) { add(name, DType::F16, t.detach().to(at::kHalf)); }
    void addF32(const std::string& name, const at::Tensor& t) { add(name, DType::F32, t.detach().to(at::kFloat)); }
    void addI32(const std::string& name, const at::Tensor& t) { add(name, DType::I32, t.detach().to(at::kInt)); }
    void addU8(const std::string& name, const at::Tensor& t) { add(name, DType::U8, t.detach().to(at::kByte)); }
    const std::vector<TensorToWrite>& list() const { return m_list; }

private:
    std::vector<at::Tensor> m_keep;
    std::vector<TensorToWrite> m_list;
};

// Adds projection `layer` under prefix p in the Hugging Face layout. ropeHeads > 0 for q/k, whose rows
// go from the model's layout to rotate-half. Returns false for a dense layer (nothing added: the
// caller writes p.weight in 16 bits and lists it as kept).
bool addHfQuantizedLinear(TensorList& tensors, const Linear& layer, const std::string& p, int64_t ropeHeads,
                          RopeLayout modelLayout);

}  // namespace aqlm
