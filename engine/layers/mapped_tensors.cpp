#include "engine/layers/mapped_tensors.h"

#include "engine/api/engine_error.h"
#include "engine/io/confined_path.h"
#include "engine/io/hf_config.h"

#include <cstring>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace aqlm {

at::ScalarType floatScalarType(DType dtype, const std::string& file, const std::string& tensor) {
    switch (dtype) {
    case DType::F32: return at::kFloat;
    case DType::F16: return at::kHalf;
    case DType::BF16: return at::kBFloat16;
    default:
        throw EngineError(file, "tensor " + tensor + " must hold floating-point numbers but is " + dtypeName(dtype));
    }
}

at::Tensor tensorOverMapping(const void* data, const std::vector<int64_t>& shape, at::ScalarType type,
                             std::shared_ptr<const void> owner) {
    // from_blob needs a non-const pointer; the mapping is PROT_READ, so a write would fault rather
    // than corrupt the file: callers convert before changing anything.
    return at::from_blob(const_cast<void*>(data), shape, [owner](void*) {}, at::TensorOptions().dtype(type));
}

std::string shapeText(const std::vector<int64_t>& s) {
    std::string r = "[";
    for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
    return r + "]";
}

void expectShape(const std::string& file, const std::string& name, const std::vector<int64_t>& actual,
                 const std::vector<int64_t>& expected) {
    if (actual == expected) return;
    throw EngineError(file, "tensor " + name + " has shape " + shapeText(actual) + " but the config implies " +
                                shapeText(expected));
}

std::vector<std::string> safetensorsFilesOf(const std::string& dirPath) {
    const fs::path dir(dirPath);
    const fs::path single = dir / "model.safetensors";
    std::error_code ec;
    if (fs::exists(single, ec)) return {single.string()};
    const fs::path index = dir / "model.safetensors.index.json";
    if (!fs::exists(index, ec))
        throw EngineError(dir.string(), "no model.safetensors or model.safetensors.index.json",
                          "a Hugging Face model folder needs its weights in safetensors format");
    auto json = readJsonFile(index.string());
    if (!json.contains("weight_map") || !json["weight_map"].is_object())
        throw EngineError(index.string(), "missing \"weight_map\" object");
    std::set<std::string> shards;
    for (const auto& item : json["weight_map"].items()) {
        if (!item.value().is_string())
            throw EngineError(index.string(), "weight_map entry " + item.key() + " is not a file name");
        shards.insert(fileInsideFolder(dir.string(), item.value().get<std::string>(), index.string(),
                                       "weight_map entry " + item.key()));
    }
    return {shards.begin(), shards.end()};
}

HfTensorSource::HfTensorSource(std::string dir, const std::vector<std::string>& files) : m_dir(std::move(dir)) {
    for (const auto& f : files) {
        m_files.push_back(std::make_shared<SafetensorsFile>(f));
        std::error_code ec;
        m_bytes += static_cast<int64_t>(fs::file_size(f, ec));
    }
}

namespace {

at::Tensor overMapping(const HfTensorSource::Found& f, const std::string& name) {
    return tensorOverMapping(f.view->data, f.view->shape, floatScalarType(f.view->dtype, f.file->path(), name), f.file);
}

}  // namespace

HfTensorSource::Found HfTensorSource::find(const std::string& name) const {
    for (const auto& f : m_files)
        if (f->contains(name)) return {f, &f->tensor(name)};
    return {};
}

HfTensorSource::Found HfTensorSource::require(const std::string& name) const {
    Found found = find(name);
    if (!found) throw EngineError(m_dir, "tensor " + name + " is missing from the safetensors files");
    return found;
}

at::Tensor HfTensorSource::mapped(const std::string& name, const std::vector<int64_t>& expected) const {
    const Found f = require(name);
    if (!expected.empty()) expectShape(f.file->path(), name, f.view->shape, expected);
    return overMapping(f, name);
}

at::Tensor HfTensorSource::float32(const std::string& name) const {
    const Found f = require(name);
    at::Tensor copy = overMapping(f, name).to(at::kFloat).clone();
    f.file->releasePages(*f.view);
    return copy;
}

at::Tensor HfTensorSource::integers(const std::string& name) const {
    const Found f = require(name);
    at::ScalarType type;
    switch (f.view->dtype) {
    case DType::I8: type = at::kChar; break;
    case DType::U8: type = at::kByte; break;
    case DType::I16: type = at::kShort; break;
    case DType::I32: type = at::kInt; break;
    case DType::I64: type = at::kLong; break;
    default:
        throw EngineError(f.file->path(), "tensor " + name + " must hold integers but is " + dtypeName(f.view->dtype));
    }
    at::Tensor t = at::empty(f.view->shape, type);
    if (t.nbytes() != f.view->byteSize) throw EngineError(f.file->path(), "tensor " + name + " has an inconsistent size");
    if (f.view->byteSize) std::memcpy(t.data_ptr(), f.view->data, f.view->byteSize);
    f.file->releasePages(*f.view);
    return t.to(at::kLong);
}

}  // namespace aqlm
