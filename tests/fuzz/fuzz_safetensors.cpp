// Safetensors header, data offsets, dtypes and shapes: every tensor a file announces must lie
// inside the mapping with byteSize == numel x dtype size, or the file is refused.
#include "fuzz_input.h"

#include "engine/io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = aqlm::fuzz::inputFile(data, size, "model.safetensors");
    aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
        aqlm::SafetensorsFile file(path);
        volatile uint8_t sink = 0;
        for (const auto& name : file.names()) {
            const aqlm::TensorView& t = file.tensor(name);
            if (static_cast<size_t>(t.numel()) * aqlm::dtypeSize(t.dtype) != t.byteSize) std::abort();
            // ASan checks both ends of the announced bytes lie in the mapping.
            if (t.byteSize) sink = sink + t.data[0] + t.data[t.byteSize - 1];
        }
    });
    return 0;
}
