#pragma once
// Exact snapshots of a fine-tuning run's tensors (one safetensors file, fp32 / int64, written
// atomically) so that a resumed run continues bit for bit.
#include <ATen/ATen.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aqlm {

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

void saveNamedTensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});
// Throws EngineError naming the file when it is unreadable or holds a dtype other than F32 / I64.
NamedTensors loadNamedTensors(const std::string& path, std::map<std::string, std::string>* metadata = nullptr);

// Deep copies (a kept "best" state must not follow the live tensors).
NamedTensors cloneTensors(const NamedTensors& tensors);

}  // namespace aqlm
