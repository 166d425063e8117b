#include "engine/io/run_state.h"

#include "engine/api/engine_error.h"
#include "engine/io/hf_config.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace aqlm {

namespace {

void requireField(const std::string& path, const nlohmann::json& object, const std::string& where, const char* key,
                  bool (nlohmann::json::*isType)() const noexcept, const char* typeName) {
    const auto it = object.find(key);
    if (it == object.end() || !((*it).*isType)())
        throw EngineError(path, where + " needs \"" + key + "\" as " + typeName, "the run state is damaged; start a new run");
}

void checkLayerReport(const std::string& path, const nlohmann::json& layer, size_t index) {
    const std::string where = "layer report " + std::to_string(index);
    if (!layer.is_object()) throw EngineError(path, where + " is not an object", "the run state is damaged; start a new run");
    for (const char* key : {"name", "layer"}) requireField(path, layer, where, key, &nlohmann::json::is_string, "text");
    for (const char* key : {"block", "d_out", "d_in", "epochs"})
        requireField(path, layer, where, key, &nlohmann::json::is_number_integer, "an integer");
    for (const char* key : {"rel_error", "bits", "seconds"})
        requireField(path, layer, where, key, &nlohmann::json::is_number, "a number");
}

}  // namespace

std::string runStatePath(const std::string& outputFolder) {
    return (fs::path(outputFolder) / kRunFolderName / "run.json").string();
}

nlohmann::json readRunState(const std::string& path) {
    const nlohmann::json state = readJsonFile(path);
    if (!state.is_object()) throw EngineError(path, "the run state is not a JSON object", "start a new run");
    requireField(path, state, "the run state", "status", &nlohmann::json::is_string, "text");
    const std::string status = state["status"].get<std::string>();
    if (status != "running" && status != "complete")
        throw EngineError(path, "unknown run status '" + status + "'", "the run state is damaged; start a new run");
    requireField(path, state, "the run state", "options", &nlohmann::json::is_object, "an object");
    requireField(path, state, "the run state", "completed_blocks", &nlohmann::json::is_number_integer, "an integer");
    if (state["completed_blocks"].get<int64_t>() < 0)
        throw EngineError(path, "completed_blocks is negative", "the run state is damaged; start a new run");
    requireField(path, state, "the run state", "layers", &nlohmann::json::is_array, "a list");
    for (size_t i = 0; i < state["layers"].size(); ++i) checkLayerReport(path, state["layers"][i], i);
    return state;
}

bool holdsUnfinishedRun(const std::string& folder) {
    const std::string path = runStatePath(folder);
    std::error_code ec;
    if (!fs::exists(path, ec)) return false;
    try {
        return readRunState(path)["status"] != "complete";
    } catch (const EngineError&) {
        return true;  // a damaged state file cannot vouch for the folder
    }
}

}  // namespace aqlm
