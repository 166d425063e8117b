#pragma once
// Raw-pointer AQLM CPU kernels, compiled once per instruction set (scalar, AVX2+FMA, AVX-512) from
// isa_kernels_impl.inc and picked at run time (isaKernels()). No Torch here: callers split the work
// (at::parallel_for) and pass index ranges, so every range writes disjoint outputs.
#include <cstdint>

namespace aqlm::kernels {

// Rows are packed in blocks of kRowBlock lanes: one AVX-512 register holds a (group, codebook)'s 64
// codes for the byte-shuffle kernel (lut_int16.h); the fp32 kernel runs them as four chains of
// kGatherLanes rows (one AVX-512 vector of fp32 partial sums each).
constexpr int64_t kRowBlock = 64;
constexpr int64_t kGatherLanes = 16;

// Codes of a Kx8 layer (B <= 8) packed for the lookup-table kernel. Groups are cut into tiles of
// tileGroups groups so that one tile of the lookup table (tileGroups * M * K floats, ~16 KiB) stays
// in L1 while a thread streams its rows. Layout, uint8:
//   [tile][rowBlock][jj * M + m][lane]   lane = row % kRowBlock, jj = group within the tile
// A thread owning row blocks [b0, b1) reads one contiguous run of bytes per tile.
// Groups per lookup-table tile: about 4096 table entries (16 KiB of fp32) per tile.
int64_t lutTileGroups(int64_t M, int64_t K);

struct Packed8View {
    const uint8_t* codes;
    int64_t dOut, groups, M, K, g, tileGroups, rowBlocks;
    int64_t tileBytes(int64_t tile) const;  // bytes of one row block in this tile
    int64_t tileOffset(int64_t tile) const;  // byte offset of the tile
};

// Lookup table of n tokens: lut[k][j][m][c] = <x[k][j*g : (j+1)*g], codebooks[m][c]>.
struct LutBuildJob {
    const float* x;          // [n][groups * g]
    const float* codebookT;  // [M][g][K]: transposed so the K codewords vectorise
    float* lut;              // [n][groups][M][K]
    int64_t n, groups, M, K, g;
};

struct LutGatherJob {
    Packed8View packed;
    // [n][groups][M][K] built beforehand, or null: then each call builds the tiles it needs itself
    // from x and codebookT (no shared table: better when few threads share the work).
    const float* lut;
    const float* x;          // [n][groups * g] (fused mode)
    const float* codebookT;  // [M][g][K] (fused mode)
    const float* scales;  // [dOut]
    float* y;             // [n][dOut]
    int64_t n;
    bool hardwareGather = false;  // vector gathers instead of scalar loads (slower on the CPUs we measured)
};

// 16-bit (or any B > 8) codebooks: codes uint16 [dOut][groups][M]; codebooks [M][K][g] fp32.
struct Codebook16Job {
    const uint16_t* codes;
    const float* codebooks;
    const float* scales;
    const float* x;  // [n][groups * g]
    // Optional fp16 copy of the codebooks, set only when it is exact (checkpoints store fp16): half
    // the cache footprint of the 2 MiB 1x16 g8 table for the AVX2/AVX-512 one-token kernel.
    const uint16_t* codebooksHalf;
    float* y;        // [n][dOut]
    int64_t n, dOut, groups, M, K, g;
};

// Dense decode W[i][j*g + d] = s_i * sum_m C[m][code][d] into a [dOut][dIn] buffer.
struct DecodeJob {
    const Packed8View* packed8;   // exactly one of packed8 / codes16 is set
    const uint16_t* codes16;
    const float* codebooks;       // [M][K][g]
    const float* scales;
    float* w;
    int64_t dOut, groups, M, K, g;
};

struct IsaKernels {
    const char* name;  // "avx512", "avx2", "scalar"
    void (*buildLut)(const LutBuildJob&, int64_t begin, int64_t end);       // over n * groups
    // partial: caller's scratch of n * (blockEnd - blockBegin) * kRowBlock floats, plus
    // n * tileGroups * M * K more in fused mode (lut == nullptr).
    void (*gatherLut)(const LutGatherJob&, int64_t blockBegin, int64_t blockEnd, float* partial);
    void (*codebook16)(const Codebook16Job&, int64_t rowBegin, int64_t rowEnd);
    void (*decode8)(const DecodeJob&, int64_t blockBegin, int64_t blockEnd);  // row blocks
    void (*decode16)(const DecodeJob&, int64_t rowBegin, int64_t rowEnd);
};

const IsaKernels& scalarKernels();
const IsaKernels& avx2Kernels();
const IsaKernels& avx512Kernels();
// Best set this CPU supports (AVX-512 F/BW/VL/DQ, else AVX2+FMA+F16C, else scalar). AQLM_ISA=scalar|avx2|avx512
// in the environment forces one (for tests and benchmarks); a set the CPU lacks falls back.
const IsaKernels& isaKernels();
bool cpuSupports(const char* isa);

}  // namespace aqlm::kernels
