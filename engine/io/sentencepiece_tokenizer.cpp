#include "engine/io/sentencepiece_tokenizer.h"

#include "engine/api/engine_error.h"

#include <sentencepiece_processor.h>

#include <filesystem>

namespace aqlm {

namespace {

const std::string kMetaSpace = "\xE2\x96\x81";  // U+2581, SentencePiece's stand-in for ' '

std::string replaceMetaSpace(const std::string& piece) {
    std::string out;
    out.reserve(piece.size());
    for (size_t i = 0; i < piece.size();) {
        if (piece.compare(i, kMetaSpace.size(), kMetaSpace) == 0) {
            out += ' ';
            i += kMetaSpace.size();
        } else {
            out += piece[i++];
        }
    }
    return out;
}

// "<0xXX>" -> the byte; false for anything else.
bool parseBytePiece(const std::string& piece, unsigned char& byte) {
    if (piece.size() != 6 || piece.compare(0, 3, "<0x") != 0 || piece[5] != '>') return false;
    int value = 0;
    for (const char c : piece.substr(3, 2)) {
        const int digit = (c >= '0' && c <= '9') ? c - '0' : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                        : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
        if (digit < 0) return false;
        value = value * 16 + digit;
    }
    byte = static_cast<unsigned char>(value);
    return true;
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer(const std::string& path)
    : m_path(path), m_processor(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw EngineError(path, "file not found");
    if (std::filesystem::is_directory(path, ec)) throw EngineError(path, "is a directory, not a tokenizer file");
    const auto status = m_processor->Load(path);
    if (!status.ok()) {
        // A protobuf parse failure reports only a source location; say what it means instead.
        const std::string message = status.message();
        throw EngineError(path, message.find("ParseFromArray") != std::string::npos
                                    ? "not a SentencePiece model (the file is not a ModelProto)"
                                    : "not a valid SentencePiece model: " + message);
    }
    const int size = m_processor->GetPieceSize();
    if (size <= 0) throw EngineError(path, "SentencePiece model has no pieces");

    // Precomputed run.c-style text per id; byte pieces read "<0xXX>".
    m_decoded.reserve(static_cast<size_t>(size));
    for (int id = 0; id < size; ++id) {
        const std::string& piece = m_processor->IdToPiece(id);
        if (m_processor->IsControl(id) || m_processor->IsUnknown(id)) {
            m_decoded.emplace_back();
        } else if (unsigned char byte = 0; m_processor->IsByte(id) && parseBytePiece(piece, byte)) {
            m_decoded.emplace_back(1, static_cast<char>(byte));
        } else {
            m_decoded.push_back(replaceMetaSpace(piece));
        }
    }
    const int bos = m_processor->bos_id(), eos = m_processor->eos_id();
    if (bos >= 0 && bos < size) m_bos = bos;
    if (eos >= 0 && eos < size) m_eos = eos;
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::vector<int32_t> SentencePieceTokenizer::encode(const std::string& text, bool addBos) const {
    std::vector<int> ids;
    const auto status = m_processor->Encode(text, &ids);
    if (!status.ok()) throw EngineError(m_path, "SentencePiece could not encode text: " + std::string(status.message()));
    std::vector<int32_t> out;
    out.reserve(ids.size() + 1);
    if (addBos) out.push_back(m_bos);
    out.insert(out.end(), ids.begin(), ids.end());
    return out;
}

std::string SentencePieceTokenizer::decodePiece(int32_t previousId, int32_t id) const {
    if (id < 0 || id >= vocabSize())
        throw EngineError(m_path, "token id " + std::to_string(id) + " outside the vocabulary of " +
                                      std::to_string(vocabSize()));
    const std::string& text = m_decoded[static_cast<size_t>(id)];
    // As run.c: the first piece after BOS loses its leading space (byte pieces are never affected).
    if (previousId == m_bos && !text.empty() && text[0] == ' ' && !m_processor->IsByte(id)) return text.substr(1);
    return text;
}

std::string SentencePieceTokenizer::describe() const {
    return "sentencepiece " + std::filesystem::path(m_path).filename().string() + " (" +
           std::to_string(vocabSize()) + " pieces)";
}

}  // namespace aqlm
