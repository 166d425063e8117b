// Hugging Face config.json -> ModelConfig. Anything our Llama runtime would silently compute wrong
// (other architectures, other activations, RoPE scaling, biases) is rejected with the key named.
#include "engine/io/hf_config.h"

#include "engine/api/engine_error.h"
#include "engine/io/mapped_file.h"

#include <limits>

namespace aqlm {

namespace {

using nlohmann::json;

const char* kSupported = " (supported: llama, mistral)";

// Present and not null: HF serializes unset optional fields as null.
const json* find(const json& config, const char* key) {
    auto it = config.find(key);
    return it == config.end() || it->is_null() ? nullptr : &*it;
}

int64_t asInt(const std::string& source, const char* key, const json& value, int64_t min, int64_t max) {
    if (!value.is_number_integer())
        throw EngineError(source, std::string("key '") + key + "' must be an integer, got " + value.type_name());
    bool inRange = true;
    int64_t result = 0;
    if (value.is_number_unsigned()) {  // may exceed int64_t
        const uint64_t u = value.get<uint64_t>();
        inRange = u <= static_cast<uint64_t>(max);
        if (inRange) result = static_cast<int64_t>(u);
    } else {
        result = value.get<int64_t>();
    }
    if (!inRange || result < min || result > max)
        throw EngineError(source, std::string("key '") + key + "' = " + value.dump() + " is out of range [" +
                                      std::to_string(min) + ", " + std::to_string(max) + "]");
    return result;
}

int64_t requiredPositive(const std::string& source, const json& config, const char* key) {
    const json* value = find(config, key);
    if (!value) throw EngineError(source, std::string("missing required key '") + key + "'");
    return asInt(source, key, *value, 1, std::numeric_limits<int64_t>::max());
}

int64_t optionalPositive(const std::string& source, const json& config, const char* key, int64_t fallback) {
    const json* value = find(config, key);
    return value ? asInt(source, key, *value, 1, std::numeric_limits<int64_t>::max()) : fallback;
}

double optionalNumber(const std::string& source, const json& config, const char* key, double fallback) {
    const json* value = find(config, key);
    if (!value) return fallback;
    if (!value->is_number())
        throw EngineError(source, std::string("key '") + key + "' must be a number, got " + value->type_name());
    return value->get<double>();
}

bool optionalBool(const std::string& source, const json& config, const char* key, bool fallback) {
    const json* value = find(config, key);
    if (!value) return fallback;
    if (!value->is_boolean())
        throw EngineError(source, std::string("key '") + key + "' must be true or false, got " + value->type_name());
    return value->get<bool>();
}

// Token ids: eos_token_id may be a list (several stop tokens); the first one is the primary id.
int32_t optionalTokenId(const std::string& source, const json& config, const char* key, int32_t fallback) {
    const json* value = find(config, key);
    if (!value) return fallback;
    if (value->is_array()) {
        if (value->empty()) throw EngineError(source, std::string("key '") + key + "' is an empty list");
        value = &(*value)[0];
    }
    return static_cast<int32_t>(asInt(source, key, *value, 0, std::numeric_limits<int32_t>::max()));
}

std::string detectArchitecture(const std::string& source, const json& config) {
    if (const json* type = find(config, "model_type")) {
        if (!type->is_string())
            throw EngineError(source, std::string("key 'model_type' must be a string, got ") + type->type_name());
        const std::string name = type->get<std::string>();
        if (name == "llama" || name == "mistral") return name;
        throw EngineError(source, "unsupported architecture '" + name + "'" + kSupported);
    }
    if (const json* archs = find(config, "architectures"); archs && archs->is_array() && !archs->empty()) {
        const json& first = (*archs)[0];
        const std::string name = first.is_string() ? first.get<std::string>() : first.dump();
        if (name == "LlamaForCausalLM") return "llama";
        if (name == "MistralForCausalLM") return "mistral";
        throw EngineError(source, "unsupported architecture '" + name + "'" + kSupported);
    }
    throw EngineError(source, std::string("missing key 'model_type' (and no 'architectures')") + kSupported);
}

}  // namespace

ModelConfig parseHfConfig(const json& config, const std::string& source) {
    if (!config.is_object()) throw EngineError(source, "config is not a JSON object");

    ModelConfig c;
    c.architecture = detectArchitecture(source, config);
    c.ropeLayout = RopeLayout::RotateHalf;
    c.dim = requiredPositive(source, config, "hidden_size");
    c.hiddenDim = requiredPositive(source, config, "intermediate_size");
    c.nLayers = requiredPositive(source, config, "num_hidden_layers");
    c.nHeads = requiredPositive(source, config, "num_attention_heads");
    c.nKvHeads = optionalPositive(source, config, "num_key_value_heads", c.nHeads);
    c.vocabSize = requiredPositive(source, config, "vocab_size");
    c.maxSeqLen = optionalPositive(source, config, "max_position_embeddings", 2048);
    c.ropeTheta = optionalNumber(source, config, "rope_theta", 10000.0);
    c.rmsNormEps = optionalNumber(source, config, "rms_norm_eps", 1e-6);
    c.tiedEmbeddings = optionalBool(source, config, "tie_word_embeddings", false);
    c.bosId = optionalTokenId(source, config, "bos_token_id", 1);
    c.eosId = optionalTokenId(source, config, "eos_token_id", 2);

    if (const json* act = find(config, "hidden_act")) {
        if (!act->is_string() || act->get<std::string>() != "silu")
            throw EngineError(source, "hidden_act " + act->dump() + " is not supported (only \"silu\")");
    }
    if (find(config, "rope_scaling")) throw EngineError(source, "rope_scaling is not supported");
    // Biased projections would load without error and then compute the wrong thing.
    if (optionalBool(source, config, "attention_bias", false))
        throw EngineError(source, "attention_bias = true is not supported");
    if (optionalBool(source, config, "mlp_bias", false))
        throw EngineError(source, "mlp_bias = true is not supported");

    c.validate(source);
    if (find(config, "head_dim")) {
        const int64_t headDim = optionalPositive(source, config, "head_dim", c.headDim());
        if (headDim != c.headDim())
            throw EngineError(source, "head_dim " + std::to_string(headDim) +
                                          " differs from hidden_size / num_attention_heads = " +
                                          std::to_string(c.headDim()) + " (not supported)");
    }
    return c;
}

ModelConfig readHfConfigFile(const std::string& path) { return parseHfConfig(readJsonFile(path), path); }

json readJsonFile(const std::string& path) {
    MappedFile file(path);  // errors for missing files and directories name the path
    try {
        return json::parse(file.data(), file.data() + file.size());
    } catch (const json::exception& e) {
        throw EngineError(path, std::string("invalid JSON: ") + e.what());
    }
}

}  // namespace aqlm
