#pragma once
// llama2.c "version 0" checkpoint: 7 int32 header fields, then fp32 tensors in a fixed order.
#include "engine/io/mapped_file.h"
#include "engine/io/model_config.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aqlm {

struct Llama2cTensor {
    const float* data = nullptr;       // into the mapped file
    std::vector<int64_t> shape;
};

class Llama2cCheckpoint {
public:
    // Validates header and exact file size; throws EngineError naming the file otherwise.
    explicit Llama2cCheckpoint(const std::string& path);

    const ModelConfig& config() const { return m_config; }
    // Names follow Hugging Face per-layer naming (model.layers.N.self_attn.q_proj.weight, ...);
    // q/k rows stay in llama2.c's interleaved RoPE order.
    const std::map<std::string, Llama2cTensor>& tensors() const { return m_tensors; }
    size_t fileSize() const { return m_file->size(); }

    static bool looksLikeCheckpoint(const std::string& path);

private:
    std::unique_ptr<MappedFile> m_file;
    ModelConfig m_config;
    std::map<std::string, Llama2cTensor> m_tensors;
};

}  // namespace aqlm
