// Entry point of aqlm_sentencepiece.so (see sentencepiece_module.h for why it is a module).
#include "engine/api/engine_error.h"
#include "engine/io/sentencepiece_module.h"
#include "engine/io/sentencepiece_tokenizer.h"

#include <cstring>

extern "C" __attribute__((visibility("default"))) aqlm::Tokenizer* aqlm_open_sentencepiece(
    const char* path, char* error, unsigned long errorSize) {
    // The problem text only: the caller wraps it in an EngineError that names the file.
    auto report = [&](const std::string& message) {
        if (errorSize > 0) {
            std::strncpy(error, message.c_str(), errorSize - 1);
            error[errorSize - 1] = '\0';
        }
    };
    try {
        return new aqlm::SentencePieceTokenizer(path);
    } catch (const aqlm::EngineError& e) {
        report(e.problem() + (e.hint().empty() ? "" : " (" + e.hint() + ")"));
    } catch (const std::exception& e) {
        report(e.what());
    }
    return nullptr;
}
