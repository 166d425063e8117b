// llama2.c tokenizer.bin under the vocabulary sizes a model header can claim (the file does not
// store its own), then encoding and decoding with whatever pieces and scores it holds.
#include "fuzz_input.h"

#include "engine/io/llama2c_tokenizer.h"

#include <climits>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = aqlm::fuzz::inputFile(data, size, "tokenizer.bin");
    for (int32_t vocab : {512, 32000, 1, 0, -1, INT32_MAX}) {
        aqlm::fuzz::parseExpectingOnlyEngineErrors([&] {
            aqlm::Llama2cTokenizer tokenizer(path, vocab);
            const std::string text = "Once upon a time, \xc3\xa9t\xc3\xa9 <0x0A> \xff\n  end";
            const auto ids = tokenizer.encode(text, true);
            for (int32_t id : ids)
                if (id < 0 || id >= tokenizer.vocabSize()) std::abort();
            (void)tokenizer.decode(ids);
            (void)tokenizer.describe();
        });
    }
    return 0;
}
