#pragma once
// Files a model folder names inside itself (shards in model.safetensors.index.json, tokenizer files).
// A downloaded folder is untrusted: a name is accepted only when it is a plain file name and the file
// it reaches, after resolving symlinks, still lies inside the folder.
#include <string>

namespace aqlm {

// The path of `name` inside `folder`. Throws EngineError(namedBy, ...) naming `what` (e.g. "weight_map
// entry model.embed_tokens.weight") when `name` is empty, ".", "..", holds a '/' or '\\' or a NUL, or
// when it exists and resolves (through symlinks) to a file outside the folder. A name that does not
// exist yet is returned as is: the caller's open reports the missing file.
std::string fileInsideFolder(const std::string& folder, const std::string& name, const std::string& namedBy,
                             const std::string& what);

// Throws EngineError(namedBy, ...) when the existing file at `path` resolves to somewhere outside
// `folder` (a symlink out of a downloaded folder).
void requireResolvesInside(const std::string& folder, const std::string& path, const std::string& namedBy,
                           const std::string& what);

}  // namespace aqlm
