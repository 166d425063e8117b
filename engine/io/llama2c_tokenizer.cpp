#include "engine/io/llama2c_tokenizer.h"

#include "engine/api/engine_error.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace aqlm {

namespace {

std::vector<char> readWholeFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw EngineError(path, "file not found");
    if (std::filesystem::is_directory(path, ec)) throw EngineError(path, "is a directory, not a tokenizer file");
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw EngineError(path, "cannot determine file size: " + ec.message());
    // Real vocabularies take a few MB; a bigger file is a wrongly chosen one (e.g. the weights).
    if (size > (64u << 20)) throw EngineError(path, "too large to be a llama2.c tokenizer file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw EngineError(path, "cannot open file for reading");
    std::vector<char> bytes(static_cast<size_t>(size));
    if (size > 0 && !in.read(bytes.data(), static_cast<std::streamsize>(size))) throw EngineError(path, "read error");
    return bytes;
}

template <typename T>
T readLittle(const std::vector<char>& bytes, size_t offset) {  // caller has bounds-checked
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// What run.c's decode() yields, minus the BOS rule: "<0xXX>" becomes the raw byte. The special
// pieces of the export ("<unk>", "\n<s>\n", "\n</s>\n") give "" so decoding agrees with SentencePiece.
std::string decodedText(const std::string& piece) {
    if (piece == "<unk>" || piece == "\n<s>\n" || piece == "\n</s>\n") return {};
    if (piece.size() == 6 && piece.compare(0, 3, "<0x") == 0 && piece[5] == '>') {
        const int hi = hexValue(piece[3]), lo = hexValue(piece[4]);
        if (hi >= 0 && lo >= 0) return std::string(1, static_cast<char>(hi * 16 + lo));
    }
    return piece;
}

// A candidate merge of two adjacent symbols; stale entries are recognised and skipped on pop.
struct Candidate {
    float score;
    int32_t left, right;        // symbol indices (left < right, adjacent when pushed)
    int32_t leftId, rightId;    // their ids when pushed
    int32_t mergedId;
};

// run.c takes the highest score and, on ties, the leftmost pair; symbol index order is text order.
struct CandidateOrder {
    bool operator()(const Candidate& a, const Candidate& b) const {
        if (a.score != b.score) return a.score < b.score;
        return a.left > b.left;
    }
};

}  // namespace

uint64_t Llama2cTokenizer::pairKey(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

Llama2cTokenizer::Llama2cTokenizer(const std::string& path, int32_t vocabSize) : m_path(path) {
    // Ids 0-2 are <unk>, <s> (BOS) and </s> (EOS): a smaller vocabulary would make encode() emit a
    // BOS id outside it (found by fuzz_llama2c_tokenizer).
    if (vocabSize < 3)
        throw EngineError(path, "vocabulary size must be at least 3 (<unk>, <s>, </s>), got " + std::to_string(vocabSize),
                          "take it from the model header");
    const std::vector<char> bytes = readWholeFile(path);
    if (bytes.size() < 4) throw EngineError(path, "truncated llama2.c tokenizer: no header");
    if (readLittle<int32_t>(bytes, 0) <= 0)
        throw EngineError(path, "not a llama2.c tokenizer: max_token_length is not positive");
    // Each record takes at least 8 bytes: reject impossible sizes before allocating for them.
    if (static_cast<uint64_t>(vocabSize) > (bytes.size() - 4) / 8)
        throw EngineError(path, "truncated llama2.c tokenizer: too small for " + std::to_string(vocabSize) +
                                    " pieces", "check that the vocabulary size matches the model");

    m_pieces.reserve(static_cast<size_t>(vocabSize));
    m_scores.reserve(static_cast<size_t>(vocabSize));
    size_t offset = 4;
    for (int32_t id = 0; id < vocabSize; ++id) {
        if (bytes.size() - offset < 8)
            throw EngineError(path, "truncated llama2.c tokenizer: file ends at piece " + std::to_string(id) +
                                        " of " + std::to_string(vocabSize));
        const float score = readLittle<float>(bytes, offset);
        const int32_t length = readLittle<int32_t>(bytes, offset + 4);
        offset += 8;
        if (length < 0) throw EngineError(path, "corrupt llama2.c tokenizer: negative length at piece " + std::to_string(id));
        if (static_cast<size_t>(length) > bytes.size() - offset)
            throw EngineError(path, "truncated llama2.c tokenizer: piece " + std::to_string(id) + " runs past the end");
        m_pieces.emplace_back(bytes.data() + offset, static_cast<size_t>(length));
        m_scores.push_back(score);
        offset += static_cast<size_t>(length);
    }
    if (offset != bytes.size())
        throw EngineError(path, std::to_string(bytes.size() - offset) + " bytes left after " + std::to_string(vocabSize) +
                                    " pieces", "the vocabulary size does not match this tokenizer file");

    m_decoded.reserve(m_pieces.size());
    for (size_t id = 0; id < m_pieces.size(); ++id) {
        const std::string& p = m_pieces[id];
        m_decoded.push_back(decodedText(p));
        m_maxPieceLength = std::max(m_maxPieceLength, p.size());
        // First id wins on duplicates; empty pieces can never be looked up.
        if (!p.empty()) m_ids.emplace(std::string_view(p), static_cast<int32_t>(id));
    }
    // Pairs are keyed by the first id of each string, so a duplicated piece merges like its twin.
    m_canonical.resize(m_pieces.size());
    for (size_t id = 0; id < m_pieces.size(); ++id) {
        const int32_t first = lookup(m_pieces[id]);
        m_canonical[id] = first >= 0 ? first : static_cast<int32_t>(id);
    }
    // run.c merges a pair when the concatenation of its two pieces is a piece. Listing every split
    // of every piece gives the same pairs up front, so encode looks up two ids, not a new string.
    for (const auto& [text, merged] : m_ids) {
        // run.c starts its search at -1e10 with a strict '>', so such scores (and NaN) never merge.
        if (!(m_scores[static_cast<size_t>(merged)] > -1e10f)) continue;
        for (size_t split = 1; split < text.size(); ++split) {
            const int32_t left = lookup(text.substr(0, split)), right = lookup(text.substr(split));
            if (left >= 0 && right >= 0) m_merges.emplace(pairKey(left, right), merged);
        }
    }
    m_adjacentBytes.assign(256 * 256, false);
    for (const std::string& p : m_pieces)
        for (size_t i = 1; i < p.size(); ++i)
            m_adjacentBytes[static_cast<unsigned char>(p[i - 1]) * 256u + static_cast<unsigned char>(p[i])] = true;
}

int32_t Llama2cTokenizer::lookup(std::string_view text) const {
    if (text.size() > m_maxPieceLength) return -1;
    const auto it = m_ids.find(text);
    return it == m_ids.end() ? -1 : it->second;
}

std::vector<int32_t> Llama2cTokenizer::initialSymbols(const std::string& text) const {
    std::vector<int32_t> symbols;
    symbols.reserve(text.size() + 1);
    const auto pushChar = [&](std::string_view ch) {
        const int32_t id = lookup(ch);
        if (id >= 0) {
            symbols.push_back(id);
            return;
        }
        for (const char c : ch) {  // byte fallback: <0xXX> sits at id byte + 3
            const int32_t byteId = static_cast<unsigned char>(c) + 3;
            symbols.push_back(byteId < vocabSize() ? byteId : 0);
        }
    };
    if (text.empty()) return symbols;
    pushChar(" ");  // SentencePiece's dummy prefix, a symbol of its own as in run.c
    // run.c's grouping: a byte plus up to 3 following continuation bytes (also for invalid UTF-8).
    for (size_t i = 0; i < text.size();) {
        size_t length = 1;
        while (length < 4 && i + length < text.size() && (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80)
            ++length;
        pushChar(std::string_view(text.data() + i, length));
        i += length;
    }
    return symbols;
}

// Per-call buffers of mergeRun, reused across the runs of one encode().
struct Llama2cTokenizer::MergeScratch {
    std::vector<int32_t> ids, prev, next;
    std::vector<Candidate> heap;
};

bool Llama2cTokenizer::canMergeAcross(int32_t left, int32_t right) const {
    const std::string& a = m_pieces[static_cast<size_t>(left)];
    const std::string& b = m_pieces[static_cast<size_t>(right)];
    if (a.empty() || b.empty()) return true;
    return m_adjacentBytes[static_cast<unsigned char>(a.back()) * 256u + static_cast<unsigned char>(b.front())];
}

std::vector<int32_t> Llama2cTokenizer::encode(const std::string& text, bool addBos) const {
    const std::vector<int32_t> symbols = initialSymbols(text);
    std::vector<int32_t> out;
    out.reserve(symbols.size() + 1);
    if (addBos) out.push_back(bosId());

    // A merged piece contains the bytes of every symbol it covers, so where no piece contains the
    // last byte of one symbol followed by the first byte of the next (typically before a space), no
    // merge ever crosses. Runs between such cuts evolve independently, and run.c's global
    // best-pair-first order restricted to one run is that run's own best-pair-first order.
    MergeScratch scratch;
    size_t runStart = 0;
    for (size_t i = 1; i <= symbols.size(); ++i) {
        if (i < symbols.size() && canMergeAcross(symbols[i - 1], symbols[i])) continue;
        mergeRun(symbols.data() + runStart, static_cast<int32_t>(i - runStart), scratch, out);
        runStart = i;
    }
    return out;
}

void Llama2cTokenizer::mergeRun(const int32_t* symbols, int32_t count, MergeScratch& s,
                                std::vector<int32_t>& out) const {
    // Symbols form a doubly linked list; a merge folds the right symbol into the left one.
    s.ids.assign(symbols, symbols + count);
    s.prev.resize(static_cast<size_t>(count));
    s.next.resize(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
        s.prev[i] = i - 1;
        s.next[i] = i + 1 < count ? i + 1 : -1;
    }
    s.heap.clear();
    const auto consider = [&](int32_t left, int32_t right) {
        if (left < 0 || right < 0) return;
        const auto it = m_merges.find(pairKey(m_canonical[static_cast<size_t>(s.ids[left])],
                                              m_canonical[static_cast<size_t>(s.ids[right])]));
        if (it == m_merges.end()) return;
        s.heap.push_back({m_scores[static_cast<size_t>(it->second)], left, right, s.ids[left], s.ids[right], it->second});
        std::push_heap(s.heap.begin(), s.heap.end(), CandidateOrder());
    };
    for (int32_t i = 0; i + 1 < count; ++i) consider(i, i + 1);

    while (!s.heap.empty()) {
        std::pop_heap(s.heap.begin(), s.heap.end(), CandidateOrder());
        const Candidate c = s.heap.back();
        s.heap.pop_back();
        // Stale if either side merged since: the right one is gone or an id changed.
        if (s.ids[c.left] != c.leftId || s.ids[c.right] != c.rightId || s.next[c.left] != c.right) continue;
        s.ids[c.left] = c.mergedId;
        s.ids[c.right] = -1;
        s.next[c.left] = s.next[c.right];
        if (s.next[c.left] >= 0) s.prev[s.next[c.left]] = c.left;
        consider(s.prev[c.left], c.left);
        consider(c.left, s.next[c.left]);
    }
    for (int32_t i = count > 0 ? 0 : -1; i >= 0; i = s.next[i]) out.push_back(s.ids[i]);
}

void Llama2cTokenizer::checkId(int32_t id) const {
    if (id < 0 || id >= vocabSize())
        throw EngineError(m_path, "token id " + std::to_string(id) + " outside the vocabulary of " +
                                      std::to_string(vocabSize()));
}

std::string Llama2cTokenizer::decodePiece(int32_t previousId, int32_t id) const {
    checkId(id);
    const std::string& text = m_decoded[static_cast<size_t>(id)];
    // run.c (after SentencePiece) drops the leading space of the first piece after BOS.
    // The raw piece is checked so that a <0x20> byte piece keeps its space, as in run.c.
    if (previousId == bosId() && !m_pieces[static_cast<size_t>(id)].empty() && m_pieces[static_cast<size_t>(id)][0] == ' ')
        return text.substr(1);
    return text;
}

std::string Llama2cTokenizer::describe() const {
    return "llama2.c tokenizer " + std::filesystem::path(m_path).filename().string() + " (" +
           std::to_string(vocabSize()) + " pieces)";
}

}  // namespace aqlm
