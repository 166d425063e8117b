#include "engine/layers/kernels/packed_codes.h"

#include "engine/api/engine_error.h"

namespace aqlm::kernels {

PackedCodes::PackedCodes(const at::Tensor& codes, const QuantScheme& scheme)
    : m_lut8(scheme.nbitsPerCodebook <= 8),
      m_dOut(codes.size(0)),
      m_groups(codes.size(1)),
      m_M(codes.size(2)),
      m_K(scheme.codebookSize()),
      m_g(scheme.inGroupSize),
      m_tileGroups(lutTileGroups(codes.size(2), scheme.codebookSize())),
      m_rowBlocks((codes.size(0) + kRowBlock - 1) / kRowBlock) {
    const at::Tensor c = codes.to(at::kInt).contiguous();
    const int32_t* src = c.data_ptr<int32_t>();
    // The kernels index tables with the codes: an out-of-range code must never reach them.
    if (c.numel() && (c.min().item<int32_t>() < 0 || c.max().item<int32_t>() >= m_K))
        throw EngineError("", "AQLM codes must lie in [0, 2^B) = [0, " + std::to_string(m_K) + ") for scheme " +
                                  scheme.toString());
    if (!m_lut8) {
        m_storage = at::empty({m_dOut, m_groups, m_M}, at::kShort);
        auto* dst = reinterpret_cast<uint16_t*>(m_storage.data_ptr<int16_t>());
        for (int64_t i = 0; i < c.numel(); ++i) dst[i] = static_cast<uint16_t>(src[i]);
        return;
    }
    m_storage = at::zeros({m_rowBlocks * kRowBlock * m_groups * m_M}, at::kByte);  // padded rows use code 0
    const Packed8View v = view8();
    uint8_t* dst = m_storage.data_ptr<uint8_t>();
    const int64_t tiles = (m_groups + m_tileGroups - 1) / m_tileGroups;
    for (int64_t t = 0; t < tiles; ++t) {
        const int64_t q = v.tileBytes(t) / kRowBlock;
        for (int64_t row = 0; row < m_dOut; ++row) {
            uint8_t* block = dst + v.tileOffset(t) + (row / kRowBlock) * v.tileBytes(t) + row % kRowBlock;
            const int32_t* r = src + (row * m_groups + t * m_tileGroups) * m_M;
            for (int64_t i = 0; i < q; ++i) block[i * kRowBlock] = static_cast<uint8_t>(r[i]);
        }
    }
}

Packed8View PackedCodes::view8() const {
    return Packed8View{m_storage.data_ptr<uint8_t>(), m_dOut, m_groups, m_M, m_K, m_g, m_tileGroups, m_rowBlocks};
}

const uint16_t* PackedCodes::codes16() const {
    return reinterpret_cast<const uint16_t*>(m_storage.data_ptr<int16_t>());
}

at::Tensor PackedCodes::unpack() const {
    at::Tensor out = at::empty({m_dOut, m_groups, m_M}, at::kInt);
    int32_t* dst = out.data_ptr<int32_t>();
    if (!m_lut8) {
        const uint16_t* src = codes16();
        for (int64_t i = 0; i < out.numel(); ++i) dst[i] = src[i];
        return out;
    }
    const Packed8View v = view8();
    const int64_t tiles = (m_groups + m_tileGroups - 1) / m_tileGroups;
    for (int64_t t = 0; t < tiles; ++t) {
        const int64_t q = v.tileBytes(t) / kRowBlock;
        for (int64_t row = 0; row < m_dOut; ++row) {
            const uint8_t* block = v.codes + v.tileOffset(t) + (row / kRowBlock) * v.tileBytes(t) + row % kRowBlock;
            int32_t* r = dst + (row * m_groups + t * m_tileGroups) * m_M;
            for (int64_t i = 0; i < q; ++i) r[i] = block[i * kRowBlock];
        }
    }
    return out;
}

}  // namespace aqlm::kernels
