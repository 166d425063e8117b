#pragma once
// libsentencepiece carries its own copy of protobuf-lite and exports it; LibTorch links the system
// libprotobuf. Loaded into one symbol namespace they interpose each other and crash at start-up.
// So the SentencePiece tokenizer lives in a small module (aqlm_sentencepiece.so) that is dlopen'ed
// with a private symbol scope (RTLD_LOCAL | RTLD_DEEPBIND) on first use.
#include "engine/io/tokenizer.h"

#include <memory>
#include <string>

namespace aqlm {

// Throws EngineError naming the model file (bad model) or the module (cannot be found or loaded).
std::unique_ptr<Tokenizer> openSentencePieceTokenizer(const std::string& path);

}  // namespace aqlm

// The module's single entry point: a new tokenizer, or nullptr with the error message written.
extern "C" aqlm::Tokenizer* aqlm_open_sentencepiece(const char* path, char* error, unsigned long errorSize);
