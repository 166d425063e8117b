#include "engine/quant/finetune_checkpoint.h"

#include "engine/api/engine_error.h"
#include "engine/io/safetensors.h"

#include <cstring>

namespace aqlm {

void saveNamedTensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
    std::vector<at::Tensor> keep;
    std::vector<TensorToWrite> list;
    keep.reserve(tensors.size());
    for (const auto& [name, t] : tensors) {
        const bool integer = !at::isFloatingType(t.scalar_type());
        at::Tensor c = t.detach().to(integer ? at::kLong : at::kFloat).contiguous();
        keep.push_back(c);
        list.push_back({name, integer ? DType::I64 : DType::F32, c.sizes().vec(), c.data_ptr(), c.nbytes()});
    }
    writeSafetensors(path, list, metadata);
}

NamedTensors loadNamedTensors(const std::string& path, std::map<std::string, std::string>* metadata) {
    SafetensorsFile file(path);
    NamedTensors out;
    for (const std::string& name : file.names()) {
        const TensorView& v = file.tensor(name);
        if (v.dtype != DType::F32 && v.dtype != DType::I64)
            throw EngineError(path, "tensor " + name + " is " + dtypeName(v.dtype) + ", expected F32 or I64");
        at::Tensor t = at::empty(v.shape, v.dtype == DType::F32 ? at::kFloat : at::kLong);
        if (t.nbytes() != v.byteSize) throw EngineError(path, "tensor " + name + " has an inconsistent size");
        if (v.byteSize) std::memcpy(t.data_ptr(), v.data, v.byteSize);
        out.emplace_back(name, t);
    }
    if (metadata) *metadata = file.metadata();
    return out;
}

NamedTensors cloneTensors(const NamedTensors& tensors) {
    NamedTensors out;
    out.reserve(tensors.size());
    for (const auto& [name, t] : tensors) out.emplace_back(name, t.detach().clone());
    return out;
}

}  // namespace aqlm
