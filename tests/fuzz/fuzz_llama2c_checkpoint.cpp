// llama2.c checkpoint header and sizes: the header's numbers may not overflow or point past the file.
#include "fuzz_input.h"

#include "engine/io/llama2c_checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = aqlm::fuzz::inputFile(data, size, "model.bin");
    aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
        if (!aqlm::Llama2cCheckpoint::looksLikeCheckpoint(path)) return;
        aqlm::Llama2cCheckpoint checkpoint(path);
        volatile float sink = 0;
        for (const auto& [name, t] : checkpoint.tensors()) {
            int64_t n = 1;
            for (int64_t s : t.shape) n *= s;
            if (n > 0) sink = sink + t.data[0] + t.data[n - 1];
        }
    });
    return 0;
}
