#pragma once
// config.json's "quantization_config": what a quantized Hugging Face folder announces about its
// layers. Torch-free (parsed from untrusted files, so it is fuzzed with the io layer).
#include "engine/api/quant_types.h"

#include <nlohmann/json.hpp>

#include <string>

namespace aqlm {

// What config.json's quantization_config announces (absent: a dense model).
struct HfQuantization {
    enum class Kind { None, Aqlm, Int } kind = Kind::None;
    QuantScheme scheme;        // aqlm
    QuantMethod method = QuantMethod::Aqlm;  // int: Gptq or Rtn
    int bits = 0;              // int
    int groupSize = 0;         // int
};
// Throws EngineError(source, ...) naming the key on anything it cannot load.
HfQuantization parseHfQuantization(const nlohmann::json& config, const std::string& source);
// The quantization_config object for a model whose quantized layers all use `q`.
nlohmann::ordered_json hfQuantizationJson(const HfQuantization& q, const nlohmann::json& keptIn16Bits);

}  // namespace aqlm
