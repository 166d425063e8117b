#include "engine/io/llama2c_checkpoint.h"

#include "engine/api/engine_error.h"

#include <cstring>
#include <fstream>

namespace aqlm {
namespace {

constexpr size_t kHeaderBytes = 7 * sizeof(int32_t);

struct Header {
    int32_t dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen;
};

std::string layerName(int64_t layer, const char* suffix) {
    return "model.layers." + std::to_string(layer) + "." + suffix;
}

}  // namespace

bool Llama2cCheckpoint::looksLikeCheckpoint(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    Header h{};
    if (!in.read(reinterpret_cast<char*>(&h), sizeof(h))) return false;
    // The ranges ModelConfig::validate accepts: text or another binary read as a header gives
    // huge numbers and is "not a model file", not "dim = 1363222563 is out of range".
    return h.dim > 0 && h.dim <= 65535 && h.hiddenDim > 0 && h.hiddenDim < (1 << 20) && h.nLayers > 0 &&
           h.nLayers <= 999 && h.nHeads > 0 && h.nHeads <= h.dim && h.nKvHeads > 0 && h.nKvHeads <= h.nHeads &&
           h.vocabSize != 0 && h.vocabSize >= -9'999'999 && h.vocabSize <= 9'999'999 && h.seqLen > 0 &&
           h.seqLen <= (1 << 24);
}

Llama2cCheckpoint::Llama2cCheckpoint(const std::string& path)
    : m_file(std::make_unique<MappedFile>(path)) {
    if (m_file->size() < kHeaderBytes)
        throw EngineError(path, "file too short for a llama2.c header (" +
                                    std::to_string(m_file->size()) + " bytes)");
    Header h{};
    std::memcpy(&h, m_file->data(), sizeof(h));
    m_config.dim = h.dim;
    m_config.hiddenDim = h.hiddenDim;
    m_config.nLayers = h.nLayers;
    m_config.nHeads = h.nHeads;
    m_config.nKvHeads = h.nKvHeads;
    m_config.vocabSize = h.vocabSize < 0 ? -static_cast<int64_t>(h.vocabSize) : h.vocabSize;
    m_config.maxSeqLen = h.seqLen;
    m_config.tiedEmbeddings = h.vocabSize > 0;  // negative vocab: an untied classifier follows
    m_config.rmsNormEps = 1e-5;
    m_config.ropeTheta = 10000.0;
    m_config.validate(path + " (llama2.c header)");

    const int64_t D = m_config.dim, F = m_config.hiddenDim, L = m_config.nLayers;
    const int64_t V = m_config.vocabSize, KV = m_config.kvDim(), hs = m_config.headDim();
    // Expected size is computed in 64-bit before touching any data, so a lying header cannot
    // make us read past the mapping.
    const int64_t floats = V * D + L * D + L * D * D + 2 * L * KV * D + L * D * D + L * D +
                           3 * L * F * D + D + m_config.maxSeqLen * hs + (m_config.tiedEmbeddings ? 0 : V * D);
    const int64_t expected = static_cast<int64_t>(kHeaderBytes) + floats * 4;
    if (static_cast<int64_t>(m_file->size()) != expected)
        throw EngineError(path, "size " + std::to_string(m_file->size()) +
                                    " bytes does not match the header (expected " +
                                    std::to_string(expected) + " bytes)",
                          m_file->size() < static_cast<size_t>(expected) ? "the file is truncated"
                                                                         : "not a llama2.c v0 checkpoint");

    const float* cursor = reinterpret_cast<const float*>(m_file->data() + kHeaderBytes);
    auto take = [&cursor](std::vector<int64_t> shape) {
        Llama2cTensor t{cursor, std::move(shape)};
        int64_t n = 1;
        for (int64_t s : t.shape) n *= s;
        cursor += n;
        return t;
    };
    // Stacked per-layer tensors are split into per-layer views with HF names.
    auto takeLayers = [&](const char* suffix, std::vector<int64_t> shape) {
        for (int64_t l = 0; l < L; ++l) m_tensors[layerName(l, suffix)] = take(shape);
    };
    m_tensors["model.embed_tokens.weight"] = take({V, D});
    takeLayers("input_layernorm.weight", {D});
    takeLayers("self_attn.q_proj.weight", {D, D});
    takeLayers("self_attn.k_proj.weight", {KV, D});
    takeLayers("self_attn.v_proj.weight", {KV, D});
    takeLayers("self_attn.o_proj.weight", {D, D});
    takeLayers("post_attention_layernorm.weight", {D});
    takeLayers("mlp.gate_proj.weight", {F, D});
    takeLayers("mlp.down_proj.weight", {D, F});
    takeLayers("mlp.up_proj.weight", {F, D});
    m_tensors["model.norm.weight"] = take({D});
    take({m_config.maxSeqLen, hs});  // legacy RoPE tables (real and imaginary halves): recomputed
    if (!m_config.tiedEmbeddings) m_tensors["lm_head.weight"] = take({V, D});
}

}  // namespace aqlm
