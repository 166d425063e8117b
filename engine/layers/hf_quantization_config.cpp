#include "engine/layers/hf_quantization_config.h"

#include "engine/api/engine_error.h"

namespace aqlm {
namespace {

int quantInt(const std::string& source, const nlohmann::json& q, const char* key, int min, int max,
             const int* fallback = nullptr) {
    auto it = q.find(key);
    if (it == q.end() || it->is_null()) {
        if (fallback) return *fallback;
        throw EngineError(source, std::string("quantization_config is missing '") + key + "'");
    }
    if (!it->is_number_integer())
        throw EngineError(source, std::string("quantization_config '") + key + "' must be an integer, got " + it->dump());
    const int64_t v = it->get<int64_t>();
    if (v < min || v > max)
        throw EngineError(source, std::string("quantization_config '") + key + "' = " + std::to_string(v) +
                                      " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return static_cast<int>(v);
}

}  // namespace

HfQuantization parseHfQuantization(const nlohmann::json& config, const std::string& source) {
    HfQuantization r;
    auto it = config.find("quantization_config");
    if (it == config.end() || it->is_null()) return r;
    const nlohmann::json& q = *it;
    if (!q.is_object()) throw EngineError(source, "quantization_config is not a JSON object");
    auto m = q.find("quant_method");
    if (m == q.end() || !m->is_string()) throw EngineError(source, "quantization_config has no 'quant_method' string");
    const std::string method = m->get<std::string>();
    if (method == "aqlm") {
        r.kind = HfQuantization::Kind::Aqlm;
        r.method = QuantMethod::Aqlm;
        r.scheme.nbitsPerCodebook = quantInt(source, q, "nbits_per_codebook", 1, 16);
        r.scheme.numCodebooks = quantInt(source, q, "num_codebooks", 1, 64);
        r.scheme.inGroupSize = quantInt(source, q, "in_group_size", 1, 1 << 16);
        const int one = 1;
        const int outGroup = quantInt(source, q, "out_group_size", 1, 1 << 16, &one);
        if (outGroup != 1)
            throw EngineError(source, "AQLM out_group_size = " + std::to_string(outGroup) + " is not supported",
                              "only out_group_size 1 (one scale per output row) can be loaded");
        return r;
    }
    if (method == "aqlm-studio-int") {
        r.kind = HfQuantization::Kind::Int;
        auto mm = q.find("method");
        if (mm == q.end() || !mm->is_string() || (*mm != "gptq" && *mm != "rtn"))
            throw EngineError(source, "quantization_config 'method' must be \"gptq\" or \"rtn\"");
        r.method = parseQuantMethod(mm->get<std::string>());
        r.bits = quantInt(source, q, "bits", 1, 8);
        r.groupSize = quantInt(source, q, "group_size", -1, 1 << 30);
        return r;
    }
    throw EngineError(source, "unsupported quantization method '" + method + "'", "supported: aqlm, aqlm-studio-int");
}

nlohmann::ordered_json hfQuantizationJson(const HfQuantization& in, const nlohmann::json& keptIn16Bits) {
    nlohmann::ordered_json q;
    if (in.kind == HfQuantization::Kind::Aqlm) {
        q["quant_method"] = "aqlm";
        q["nbits_per_codebook"] = in.scheme.nbitsPerCodebook;
        q["num_codebooks"] = in.scheme.numCodebooks;
        q["out_group_size"] = 1;
        q["in_group_size"] = in.scheme.inGroupSize;
    } else {
        q["quant_method"] = "aqlm-studio-int";
        q["method"] = quantMethodName(in.method);
        q["bits"] = in.bits;
        q["group_size"] = in.groupSize;
    }
    q["linear_weights_not_to_quantize"] = keptIn16Bits;
    return q;
}

}  // namespace aqlm
