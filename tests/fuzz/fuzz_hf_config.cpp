// config.json: JSON of any shape and any numbers becomes a validated ModelConfig or an EngineError.
#include "fuzz_input.h"

#include "engine/io/hf_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = aqlm::fuzz::inputFile(data, size, "config.json");
    aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
        const aqlm::ModelConfig config = aqlm::readHfConfigFile(path);
        (void)config.parameterCount();
    });
    return 0;
}
