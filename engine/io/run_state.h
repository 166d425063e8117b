#pragma once
// The state file of a compression run (OUT/.aqlm-run/run.json): what --resume reads, and what tells
// a loader that a folder is still being written. Torch-free so that it is fuzzed with the io layer.
#include <nlohmann/json.hpp>

#include <string>

namespace aqlm {

inline constexpr const char* kRunFolderName = ".aqlm-run";

// OUT/.aqlm-run/run.json
std::string runStatePath(const std::string& outputFolder);

// Reads and checks run.json: an object with "status" ("running" or "complete"), "options" (object),
// "completed_blocks" (integer >= 0) and "layers" (array of layer reports with their fields and
// types). Throws EngineError naming the file and the problem for anything else.
nlohmann::json readRunState(const std::string& path);

// True when the folder holds a compression run that has not finished (its run.json is not
// "complete", or is unreadable): the files beside it are not a model yet.
bool holdsUnfinishedRun(const std::string& folder);

}  // namespace aqlm
