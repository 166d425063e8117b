#pragma once
// Llama models of real shapes with random weights (random AQLM codes, codebooks and scales for the
// quantized variant): speed benchmarks and kernel equivalence tests need shapes, not trained weights.
#include "engine/api/quant_types.h"
#include "engine/model/llama_model.h"

#include <memory>
#include <optional>
#include <string>

namespace aqlm::kernels {

// "llama2-7b" (dim 4096, 32 layers, hidden 11008, 32 heads) or "llama-1b" (TinyLlama 1.1B shape:
// dim 2048, 22 layers, hidden 5632, 32 heads, 4 KV heads); throws std::invalid_argument otherwise.
ModelConfig syntheticConfig(const std::string& name);
// Every decoder linear is an AqlmLinear with the scheme when given, dense otherwise: fp32, or bf16
// (denseDtype = at::kBFloat16) where an fp32 baseline would not fit in memory. The embeddings and the
// head are stored in outerDtype (fp32, or fp16 as Hugging Face checkpoints, AQLM ones included, store
// them; the KV cache then is fp16 too); norms are fp32.
std::unique_ptr<LlamaModel> makeSyntheticModel(const ModelConfig& config, std::optional<QuantScheme> scheme,
                                               uint64_t seed, at::ScalarType denseDtype = at::kFloat,
                                               at::ScalarType outerDtype = at::kFloat);
// A random AQLM layer of the given shape (codes uniform in [0, 2^B), W entries ~ 1/sqrt(dIn)).
std::unique_ptr<Linear> randomAqlmLinear(int64_t dOut, int64_t dIn, const QuantScheme& scheme, at::Generator& gen);

}  // namespace aqlm::kernels
