#pragma once
// Tensors used in place from memory-mapped checkpoint files: a 7B fp16 model is never copied or
// widened to fp32 as a whole. Each tensor keeps its file mapped for as long as it lives, so a
// model outlives the loader that opened its files. Mapped tensors are read-only: never write to one.
#include "engine/io/safetensors.h"

#include <ATen/ATen.h>

#include <memory>
#include <string>
#include <vector>

namespace aqlm {

// at::ScalarType of a floating safetensors dtype (F32, F16, BF16); throws EngineError otherwise.
at::ScalarType floatScalarType(DType dtype, const std::string& file, const std::string& tensor);

// A tensor over `data` (not copied) that holds `owner` alive until its storage is released.
at::Tensor tensorOverMapping(const void* data, const std::vector<int64_t>& shape, at::ScalarType type,
                             std::shared_ptr<const void> owner);

// The safetensors files of one Hugging Face folder (one file or all shards), mapped.
class HfTensorSource {
public:
    // dir is used in messages ("tensor X is missing from the safetensors files of DIR").
    HfTensorSource(std::string dir, const std::vector<std::string>& files);

    struct Found {
        std::shared_ptr<const SafetensorsFile> file;  // keeps the mapping alive for tensors over it
        const TensorView* view = nullptr;
        explicit operator bool() const { return view != nullptr; }
    };
    Found find(const std::string& name) const;
    Found require(const std::string& name) const;  // throws EngineError naming the folder

    // Floating tensor in its stored dtype over the mapping (shape checked when expected is given).
    at::Tensor mapped(const std::string& name, const std::vector<int64_t>& expected = {}) const;
    // Integer tensor copied out of the mapping, widened to int64.
    at::Tensor integers(const std::string& name) const;
    // Floating tensor copied to fp32 (small tensors: norms, scales, codebooks).
    at::Tensor float32(const std::string& name) const;

    int64_t bytesOnDisk() const { return m_bytes; }
    const std::string& dir() const { return m_dir; }
    const std::vector<std::shared_ptr<SafetensorsFile>>& files() const { return m_files; }

private:
    std::string m_dir;
    std::vector<std::shared_ptr<SafetensorsFile>> m_files;
    int64_t m_bytes = 0;
};

// Lists the safetensors files of a Hugging Face folder: model.safetensors, or every shard named in
// model.safetensors.index.json. Throws EngineError naming the folder or the index when neither works.
std::vector<std::string> safetensorsFilesOf(const std::string& dir);

// "[4096, 11008]"
std::string shapeText(const std::vector<int64_t>& shape);
// Throws EngineError(file, "tensor NAME has shape A but the config implies B") on a mismatch.
void expectShape(const std::string& file, const std::string& name, const std::vector<int64_t>& actual,
                 const std::vector<int64_t>& expected);

}  // namespace aqlm
