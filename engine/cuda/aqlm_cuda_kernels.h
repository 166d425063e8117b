#pragma once
// AQLM CUDA kernels on raw device pointers (no Torch, no CUDA headers needed by callers).
// fp16 activations, weights and outputs; fp32 accumulation. `stream` is a cudaStream_t (nullptr:
// the default stream). Every function returns 0 on success or the cudaError_t of the launch.
#include <cstdint>

namespace aqlm::cuda {

// y[i] = s[i] * sum_j <C[codes[i][j]], x[j*8:(j+1)*8]>  for 1x16 g8: one warp per output row; the
// 1 MiB codebook stays in L2 and each code vector is decoded in registers.
// codes uint16 [dOut][dIn/8]; codebook half [65536][8]; scales half [dOut]; x half [dIn]; y half [dOut].
int matvec1x16g8(const uint16_t* codes, const uint16_t* codebook, const uint16_t* scales, const uint16_t* x,
                 uint16_t* y, int64_t dOut, int64_t dIn, void* stream);

// 2x8 g8: both 256-entry codebooks (8 KiB) in shared memory; per group two code vectors summed, then
// an FMA with the input. codes uint8 [dOut][dIn/8][2]; codebooks half [2][256][8].
int matvec2x8g8(const uint8_t* codes, const uint16_t* codebooks, const uint16_t* scales, const uint16_t* x,
                uint16_t* y, int64_t dOut, int64_t dIn, void* stream);

// Dense W[i][j*g + d] = s[i] * sum_m C[m][codes[i][j][m]][d] (half) for cuBLAS prefill; any M, B, g.
// codes8: uint8 [dOut][dIn/g][M] (B <= 8); codes16: uint16 (B <= 16); codebooks half [M][2^B][g].
int dequantize8(const uint8_t* codes, const uint16_t* codebooks, const uint16_t* scales, uint16_t* w,
                int64_t dOut, int64_t dIn, int M, int nbits, int g, void* stream);
int dequantize16(const uint16_t* codes, const uint16_t* codebooks, const uint16_t* scales, uint16_t* w,
                 int64_t dOut, int64_t dIn, int M, int nbits, int g, void* stream);

}  // namespace aqlm::cuda
