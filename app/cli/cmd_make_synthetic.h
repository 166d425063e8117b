#pragma once
#include <string>
#include <vector>

namespace aqlm::cli {

// aqlm make-synthetic: a random Hugging Face Llama folder of a real model's shape.
int runMakeSynthetic(const std::vector<std::string>& args);

}  // namespace aqlm::cli
