#pragma once
// AQLM codes repacked once at load for the CPU kernels (see isa_kernels.h for the layouts):
// B <= 8: uint8 tiles for the lookup-table kernel; B > 8: uint16 [dOut][groups][M] rows.
// This is the only copy of the codes an AqlmLinear keeps (1 or 2 bytes per code instead of int32).
#include "engine/api/quant_types.h"
#include "engine/layers/kernels/isa_kernels.h"

#include <ATen/ATen.h>

namespace aqlm::kernels {

class PackedCodes {
public:
    PackedCodes() = default;
    // codes: [dOut, groups, M] integer in [0, 2^B)
    PackedCodes(const at::Tensor& codes, const QuantScheme& scheme);

    bool isLut8() const { return m_lut8; }
    int64_t dOut() const { return m_dOut; }
    int64_t groups() const { return m_groups; }
    int64_t numCodebooks() const { return m_M; }
    int64_t rowBlocks() const { return m_rowBlocks; }
    Packed8View view8() const;                 // isLut8() only
    const uint16_t* codes16() const;           // !isLut8() only
    int64_t bytes() const { return m_storage.numel() * m_storage.element_size(); }
    at::Tensor unpack() const;                 // [dOut, groups, M] int32

private:
    bool m_lut8 = false;
    int64_t m_dOut = 0, m_groups = 0, m_M = 0, m_K = 0, m_g = 0, m_tileGroups = 0, m_rowBlocks = 0;
    at::Tensor m_storage;  // uint8 (packed tiles) or int16 (uint16 bit patterns)
};

}  // namespace aqlm::kernels
