// OUT/.aqlm-run/run.json, what --resume trusts: any bytes are a checked run state or an EngineError.
#include "fuzz_input.h"

#include "engine/io/run_state.h"

#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string folder = aqlm::fuzz::scratchFolder();
    std::filesystem::create_directories(folder + "/" + aqlm::kRunFolderName);
    const std::string path = aqlm::fuzz::inputFile(data, size, std::string(aqlm::kRunFolderName) + "/run.json");
    aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
        const nlohmann::json state = aqlm::readRunState(path);
        // What the pipeline reads from a checked state may not throw anything but EngineError.
        (void)state["completed_blocks"].get<int64_t>();
        for (const auto& layer : state["layers"]) (void)(layer["name"].get<std::string>() + layer["rel_error"].dump());
        if (state["status"] != "running" && state["status"] != "complete") std::abort();
    });
    (void)aqlm::holdsUnfinishedRun(folder);
    return 0;
}
