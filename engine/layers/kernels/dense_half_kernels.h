#pragma once
// Dense linear layers whose weights stay in 16 bits (fp16 or bf16, typically a tensor mapped straight
// from a checkpoint): y = x W^T accumulated in fp32, without ever materialising W in fp32.
//   few tokens (decode): each thread streams its rows once and converts them in registers (half_isa_kernels.h);
//   many tokens (prefill): each thread converts a tile of rows into its own small fp32 buffer and hands it to BLAS.
#include "engine/layers/kernels/half_isa_kernels.h"

#include <ATen/ATen.h>

namespace aqlm::kernels {

enum class HalfPath {
    Auto,       // RowPass below halfGemmMinTokens() tokens, TiledGemm from there on
    RowPass,    // converted in registers, up to kHalfMaxTokensPerPass tokens per pass over a row block
    TiledGemm,  // tiles of rows converted to fp32, then at::mm per tile
};
const char* halfPathName(HalfPath path);

// x [..., dIn] fp32; weight [dOut, dIn] kHalf or kBFloat16, contiguous, only ever read.
// Returns y [..., dOut] fp32 = x W^T. Throws EngineError on other dtypes or mismatched shapes.
at::Tensor halfLinearForward(const at::Tensor& x, const at::Tensor& weight);
at::Tensor halfLinearForward(const at::Tensor& x, const at::Tensor& weight, HalfPath path,
                             const HalfKernels& isa = halfKernels());

// Rows [rowBegin, rowEnd) of a kHalf / kBFloat16 [rows, cols] weight as a new fp32 [rowEnd - rowBegin, cols]
// tensor (embedding lookups, denseWeight()).
at::Tensor halfRowsToFloat(const at::Tensor& weight, int64_t rowBegin, int64_t rowEnd,
                           const HalfKernels& isa = halfKernels());

// An int8 copy of a dense weight for one-token products (the decode step's classifier): each row's
// weights rounded to int8 with one fp32 scale (absmax / 127) per kInt8Block of them, half the bytes of
// fp16. Error: at most half a step per weight, 1/254 of its block's largest (tst_dense_half_kernels).
struct Int8Rows {
    at::Tensor weight;  // [dOut, dIn] int8
    at::Tensor scales;  // [dOut, ceil(dIn / kInt8Block)] fp32
};
// From any floating-point [dOut, dIn] weight (fp32, fp16, bf16), a few MiB of fp32 at a time.
Int8Rows quantizeRowsInt8(const at::Tensor& weight);
// y [1, dOut] fp32 for one token x [dIn], rows split over the threads.
at::Tensor int8RowsForward(const Int8Rows& rows, const float* x, const HalfKernels& isa = halfKernels());

// Token count from which Auto takes the tiled BLAS path: never by default (the row pass won at every
// token count measured, bench/RESULTS.md); AQLM_HALF_GEMM_MIN_TOKENS=N in the environment sets it.
int64_t halfGemmMinTokens();

}  // namespace aqlm::kernels
