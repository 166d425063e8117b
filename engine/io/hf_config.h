#pragma once
// Hugging Face config.json -> ModelConfig (Llama / Mistral only, with clear errors otherwise).
#include "engine/io/model_config.h"

#include <nlohmann/json.hpp>
#include <string>

namespace aqlm {

ModelConfig parseHfConfig(const nlohmann::json& config, const std::string& source);
ModelConfig readHfConfigFile(const std::string& path);
nlohmann::json readJsonFile(const std::string& path);  // errors name the file and the JSON problem

}  // namespace aqlm
