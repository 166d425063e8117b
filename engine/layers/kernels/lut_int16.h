#pragma once
// 16-bit fixed-point lookup tables for Kx8 codebooks (B <= 8, 16 <= K <= 256), the kernel that decodes
// tokens: per token and tile of groups the fp32 table <x_j, C_m[c]> is rounded to int16 with one
// scale per tile and stored as two byte planes (high signed byte, low unsigned byte). 64 rows'
// codes are looked up at once in each plane with AVX-512 VBMI byte permutes (vpermi2b over a
// 256-byte plane); the planes are interleaved back into int16 words and summed exactly in int32
// within the tile (AVX-512 VNNI vpdpwssd, two lookups per row at a time), then scaled in fp32 across
// tiles. The exact fp32 kernel (isa_kernels.h gatherLut) stays for `--kernel exact` and the tests;
// this one's error contract is in docs/architecture/kernels.md and tst_lut_int16.
#include "engine/layers/kernels/isa_kernels.h"

#include <cstdint>

namespace aqlm::kernels {

constexpr int64_t kPlaneBytes = 256;              // one byte plane, padded to 256 entries
constexpr int64_t kTableBytes = 2 * kPlaneBytes;  // high plane, then low plane

struct LutInt16BuildJob {
    const float* x;          // [n][groups * g]
    const float* codebookT;  // [M][g][K]
    uint8_t* tables;         // [n][tiles][tileGroups * M][kTableBytes]
    float* tileScales;       // [n][tiles]: table entry = (256 * high + low) * scale
    int64_t n, groups, M, K, g, tileGroups;
};

struct LutInt16GatherJob {
    Packed8View packed;
    const uint8_t* tables;    // as LutInt16BuildJob::tables
    const float* tileScales;  // as LutInt16BuildJob::tileScales
    int64_t n;
};

// True when this CPU runs the kernel (AVX-512 F/BW/VBMI/VNNI) and the build has it.
bool lutInt16Available();
// Whether a scheme with M codebooks of K entries fits it: 16 <= K <= 256, at most 256 lookups per
// tile and a tile's fp32 table fits the build's buffer.
bool lutInt16Fits(int64_t M, int64_t K);
// Over [begin, end) of n * tiles (token-major).
void buildLutInt16(const LutInt16BuildJob& job, int64_t begin, int64_t end);
// Adds the lookups of tiles [tileBegin, tileEnd) for row blocks [blockBegin, blockEnd), each tile's sums
// times its scale, into partial: token k's (blockEnd - blockBegin) * kRowBlock floats start at
// partial + k * tokenStride, each row block's 64 rows in accumulator order (lutInt16Slot).
void accumulateLutInt16(const LutInt16GatherJob& job, int64_t tileBegin, int64_t tileEnd, int64_t blockBegin,
                        int64_t blockEnd, float* partial, int64_t tokenStride);
// Where row `lane` of a row block sits in accumulateLutInt16's partial sums (the lane order of its
// byte and word unpacks: register (lane % 16) / 4, 128-bit lane lane / 16, slot lane % 4).
inline int64_t lutInt16Slot(int64_t lane) { return (lane % 16) / 4 * 16 + lane / 16 * 4 + lane % 4; }

}  // namespace aqlm::kernels
