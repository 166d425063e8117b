// User-supplied text (calibration, evaluation, prompts): UTF-8 validation of any bytes.
#include "fuzz_input.h"

#include "engine/io/text_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = aqlm::fuzz::inputFile(data, size, "text.txt");
    aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
        const std::string text = aqlm::readTextFile(path);
        if (aqlm::findInvalidUtf8(text) != std::string::npos) std::abort();  // accepted text is valid
    });
    return 0;
}
