#pragma once
// llama2.c's binary vocabulary (tokenizer.bin): encodes exactly like run.c, but in O(n log n).
// Deliberate differences: the export's <unk>/<s>/</s> pieces decode to "" (as SentencePiece's control
// pieces do), and a missing " " piece or byte piece falls back instead of producing id -1.
#include "engine/io/tokenizer.h"

#include <string_view>
#include <unordered_map>

namespace aqlm {

class Llama2cTokenizer : public Tokenizer {
public:
    // vocabSize comes from the model header: the file does not store it. Throws EngineError.
    Llama2cTokenizer(const std::string& path, int32_t vocabSize);
    // m_ids holds views into m_pieces, so copies would dangle.
    Llama2cTokenizer(const Llama2cTokenizer&) = delete;
    Llama2cTokenizer& operator=(const Llama2cTokenizer&) = delete;

    std::vector<int32_t> encode(const std::string& text, bool addBos) const override;
    std::string decodePiece(int32_t previousId, int32_t id) const override;
    int32_t vocabSize() const override { return static_cast<int32_t>(m_pieces.size()); }
    std::string describe() const override;

    // Raw piece bytes as stored (meta-space already turned into ' ') and the merge score.
    const std::string& piece(int32_t id) const { return m_pieces.at(static_cast<size_t>(id)); }
    float score(int32_t id) const { return m_scores.at(static_cast<size_t>(id)); }

private:
    int32_t lookup(std::string_view text) const;  // -1 when not a piece
    // Initial symbols, as run.c builds them: dummy prefix, then whole UTF-8 chars or their bytes.
    std::vector<int32_t> initialSymbols(const std::string& text) const;
    void checkId(int32_t id) const;
    // False when no merge can ever join these two neighbouring symbols (see encode()).
    bool canMergeAcross(int32_t left, int32_t right) const;
    struct MergeScratch;
    // run.c's best-pair-first merging over one run of symbols, appended to out.
    void mergeRun(const int32_t* symbols, int32_t count, MergeScratch& scratch, std::vector<int32_t>& out) const;
    static uint64_t pairKey(int32_t left, int32_t right);

    std::string m_path;
    std::vector<std::string> m_pieces;
    std::vector<float> m_scores;
    std::vector<std::string> m_decoded;  // what run.c prints for each id
    std::unordered_map<std::string_view, int32_t> m_ids;
    std::unordered_map<uint64_t, int32_t> m_merges;  // (left id, right id) -> id of their concatenation
    std::vector<int32_t> m_canonical;                // id -> first id with the same piece
    std::vector<bool> m_adjacentBytes;               // [a * 256 + b]: some piece holds byte a then byte b
    size_t m_maxPieceLength = 0;
};

}  // namespace aqlm
