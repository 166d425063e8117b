#pragma once
// One interface over the two vocab file formats (SentencePiece .model, llama2.c tokenizer.bin).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aqlm {

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // Text -> ids, SentencePiece conventions: a dummy-prefix space for non-empty text, byte fallback.
    virtual std::vector<int32_t> encode(const std::string& text, bool addBos) const = 0;
    // One id -> its text, given the id before it (the first piece after BOS loses its leading space).
    virtual std::string decodePiece(int32_t previousId, int32_t id) const = 0;
    // Ids -> text; a leading BOS is skipped.
    std::string decode(const std::vector<int32_t>& ids) const;

    virtual int32_t vocabSize() const = 0;
    virtual int32_t bosId() const { return 1; }
    virtual int32_t eosId() const { return 2; }
    // Human-readable description, e.g. "sentencepiece tok512.model (512 pieces)".
    virtual std::string describe() const = 0;
};

// Opens by extension: *.model -> SentencePiece, anything else -> llama2.c binary layout.
// vocabSizeHint is required for the llama2.c layout (the file does not store its size).
std::unique_ptr<Tokenizer> loadTokenizer(const std::string& path, int32_t vocabSizeHint);

}  // namespace aqlm
