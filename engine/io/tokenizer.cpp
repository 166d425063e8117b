#include "engine/io/tokenizer.h"

#include "engine/io/llama2c_tokenizer.h"
#include "engine/io/sentencepiece_module.h"

namespace aqlm {

std::string Tokenizer::decode(const std::vector<int32_t>& ids) const {
    std::string text;
    size_t start = 0;
    int32_t previous = -1;  // no BOS: the first piece keeps its leading space
    if (!ids.empty() && ids.front() == bosId()) {
        start = 1;
        previous = ids.front();
    }
    for (size_t i = start; i < ids.size(); ++i) {
        text += decodePiece(previous, ids[i]);
        previous = ids[i];
    }
    return text;
}

std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path, int32_t vocabSizeHint) {
    const std::string extension = ".model";
    const bool isSentencePiece =
        path.size() >= extension.size() && path.compare(path.size() - extension.size(), extension.size(), extension) == 0;
    // A SentencePiece model knows its own size, so the hint only matters for the llama2.c layout.
    if (isSentencePiece) return openSentencePieceTokenizer(path);
    return std::make_unique<Llama2cTokenizer>(path, vocabSizeHint);
}

}  // namespace aqlm
