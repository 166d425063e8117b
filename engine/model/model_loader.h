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
// The architecture from config.json / the llama2.c header alone (no safetensors or tokenizer read):
// cheap enough for every settings change.
ModelConfig readModelConfig(const std::string& path);
// Weights are used in place from the mapped files (fp32, fp16 or bf16 as stored): loading maps, it
// does not copy. Quantized layers are read into their compact in-memory form.
LoadedModel loadModel(const std::string& path, const LoadOptions& options = {});
// The model's description from config.json / the checkpoint header, the safetensors headers (every
// tensor's presence, dtype and shape are checked) and the tokenizer: no weight is read.
ModelInfo inspectModelFiles(const std::string& path, const LoadOptions& options = {});
// Finds the tokenizer file for a model path (beside a .bin, inside an HF folder); "" if none.
// Throws EngineError when the file found is a symlink leading out of that folder.
std::string findTokenizerFor(const std::string& modelPath);

}  // namespace aqlm
