#pragma once
// Reading user-supplied text (evaluation / calibration / prompts) with validation.
#include <string>

namespace aqlm {

// Whole file as UTF-8; throws EngineError naming the file if missing, empty or not valid UTF-8.
std::string readTextFile(const std::string& path);
// Returns the byte offset of the first invalid UTF-8 sequence, or std::string::npos if valid.
size_t findInvalidUtf8(const std::string& text);

}  // namespace aqlm
