#pragma once
// Opens whatever a user points at (llama2.c .bin or a Hugging Face folder) as a runnable model.
#include "engine/api/types.h"
#include "engine/io/tokenizer.h"
#include "engine/model/llama_model.h"

#include <memory>
#include <string>

namespace aqlm {

struct LoadOptions {
    std::string tokenizerPath;  // empty: look beside the model
};

struct LoadedModel {
    std::unique_ptr<LlamaModel> model;
    std::unique_ptr<Tokenizer> tokenizer;
    ModelInfo info;
};

enum class ModelFormat { Llama2c, HuggingFace };

// Throws EngineError naming the path when it is neither format.
ModelFormat detectModelFormat(const std::string& path);
LoadedModel loadModel(const std::string& path, const LoadOptions& options = {});
// Finds the tokenizer file for a model path (beside a .bin, inside an HF folder); "" if none.
std::string findTokenizerFor(const std::string& modelPath);

// HF checkpoints store q/k rows for rotate-half RoPE; the engine runs Meta's interleaved order.
at::Tensor hfToInterleavedRows(const at::Tensor& weight, int64_t heads);
at::Tensor interleavedToHfRows(const at::Tensor& weight, int64_t heads);

}  // namespace aqlm
