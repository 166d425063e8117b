#pragma once
// Raw-pointer fp16 / bf16 (and int8) dense matvec kernels, one-token attention and the MLP gating, compiled once per instruction set (scalar, AVX2+FMA+F16C,
// AVX-512) from half_isa_kernels_impl.inc and picked at run time (halfKernels()), like the AQLM kernels
// of isa_kernels.h. No Torch here: the driver (dense_half_kernels.h) splits the rows over threads.
#include <cstdint>

namespace aqlm::kernels {

enum class HalfFormat { Fp16, Bf16 };  // IEEE binary16, or bfloat16 (the top half of an fp32)

// Tokens handled in one pass over a weight row: each row is read once for up to this many tokens.
constexpr int64_t kHalfMaxTokensPerPass = 8;

// y[k][i] = sum_j x[k][j] * W[i][j] for k < n, accumulating in fp32.
struct HalfMatvecJob {
    const uint16_t* weight;  // [dOut][dIn], never written (may be a read-only mapping)
    const float* x;          // [n][dIn]
    float* y;                // [n][yStride]: row i of token k goes to y[k * yStride + i]
    int64_t n, dIn, dOut, yStride;
    HalfFormat format;
};

// Where the KV cache's rows are stored: fp32, or 16 bits as in HalfFormat.
enum class CacheFormat { Fp32, Fp16, Bf16 };

// One query head of one token over `length` cached positions: out = softmax(scale * K q) V.
struct AttendHeadJob {
    const float* q;      // [hs]
    const void* keys;    // [length][hs] in `format`
    const void* values;  // [length][hs] in `format`
    CacheFormat format;
    int64_t length, hs;
    float scale;
    float* scores;  // [length] scratch
    float* out;     // [hs]
};

// y[i] = sum_j w[i][j] * scale[i][j / kInt8Block] * x[j] for one token: an int8 copy of a dense
// weight with one fp32 scale per kInt8Block weights of a row (the decode step's classifier).
constexpr int64_t kInt8Block = 64;
// Scales per row of such a copy: one per kInt8Block weights, the last block possibly short.
constexpr int64_t int8BlocksPerRow(int64_t cols) { return (cols + kInt8Block - 1) / kInt8Block; }
// Bytes of such a copy of a [rows, cols] weight (what a decode step reads of it, and what it holds).
constexpr int64_t int8RowsBytes(int64_t rows, int64_t cols) { return rows * cols + rows * int8BlocksPerRow(cols) * 4; }
struct Int8MatvecJob {
    const int8_t* weight;  // [dOut][dIn]
    const float* scales;   // [dOut][ceil(dIn / kInt8Block)]
    const float* x;        // [dIn]
    float* y;              // [dOut]
    int64_t dIn;
};

struct HalfKernels {
    const char* name;  // "avx512", "avx2", "scalar"
    // Rows [rowBegin, rowEnd) for all job.n tokens, 1 <= n <= kHalfMaxTokensPerPass.
    void (*matvec)(const HalfMatvecJob&, int64_t rowBegin, int64_t rowEnd);
    // dst[i] = float(src[i]), exact (every fp16 and bf16 value is an fp32 value).
    void (*toFloat)(const uint16_t* src, float* dst, int64_t count, HalfFormat format);
    // Decode attention, one head (the cache's rows widened in registers as they stream by).
    void (*attendHead)(const AttendHeadJob&);
    // Rows [rowBegin, rowEnd) of the int8 product above.
    void (*int8Matvec)(const Int8MatvecJob&, int64_t rowBegin, int64_t rowEnd);
    // gate[i] = silu(gate[i]) * up[i], the MLP's gating for one token (exp from glibc's libmvec).
    void (*siluMul)(float* gate, const float* up, int64_t n);
};

const HalfKernels& scalarHalfKernels();
const HalfKernels& avx2HalfKernels();
const HalfKernels& avx512HalfKernels();
// Best set this CPU supports; AQLM_ISA=scalar|avx2|avx512 forces one, as for isaKernels().
const HalfKernels& halfKernels();

}  // namespace aqlm::kernels
