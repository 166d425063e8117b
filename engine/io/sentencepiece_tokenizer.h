#pragma once
// SentencePiece .model files through libsentencepiece; pieces decode the way llama2.c's run.c prints them.
#include "engine/io/tokenizer.h"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace aqlm {

class SentencePieceTokenizer : public Tokenizer {
public:
    explicit SentencePieceTokenizer(const std::string& path);  // throws EngineError
    ~SentencePieceTokenizer() override;

    std::vector<int32_t> encode(const std::string& text, bool addBos) const override;
    std::string decodePiece(int32_t previousId, int32_t id) const override;
    int32_t vocabSize() const override { return static_cast<int32_t>(m_decoded.size()); }
    int32_t bosId() const override { return m_bos; }
    int32_t eosId() const override { return m_eos; }
    std::string describe() const override;

private:
    std::string m_path;
    std::unique_ptr<sentencepiece::SentencePieceProcessor> m_processor;
    std::vector<std::string> m_decoded;  // per id: text as run.c prints it ("" for control pieces)
    int32_t m_bos = 1;
    int32_t m_eos = 2;
};

}  // namespace aqlm
