#pragma once
// Which AQLM kernel runs a layer: by device, scheme and number of tokens in the call.
// A process-wide policy lets tests and the CLI (--kernel reference) force the reference decode path.
#include "engine/api/quant_types.h"

#include <cstdint>
#include <string>

namespace aqlm::kernels {

// Auto: the fastest kernels, including the 16-bit fixed-point lookup tables (cpu-lut8-int16).
// Exact: only kernels whose sums are fp32 (bit-identical decode, 1e-5 products): the accuracy
// baseline of the fast path. Matvec / DecodeGemm force one exact CPU path whatever the token count
// (crossover measurements); LutInt16 forces the 16-bit tables where the scheme and CPU allow them.
enum class KernelPolicy { Auto, Exact, Reference, Matvec, DecodeGemm, LutInt16 };
void setKernelPolicy(KernelPolicy policy);
KernelPolicy kernelPolicy();
// "auto" | "exact" | "reference" | "matvec" | "decode-gemm" | "lut-int16"; throws std::invalid_argument otherwise.
KernelPolicy parseKernelPolicy(const std::string& text);

enum class AqlmKernel {
    Reference,       // aqlmDecode (Torch ops) + dense matmul: what every fast kernel is checked against
    CpuLut8,         // Kx8 lookup table + gathered sums (fp32, exact)
    CpuLut8Int16,    // Kx8 16-bit fixed-point lookup tables + AVX-512 VBMI byte permutes
    CpuCodebook16,   // 16-bit codebooks: code vectors decoded in registers
    CpuDecodeGemm,   // decode into a reused buffer + BLAS (prefill / batches)
    CudaMatvec1x16,  // fp16, one warp per output row
    CudaMatvec2x8,   // fp16, both codebooks in shared memory
    CudaDequantGemm  // dequantize kernel + cuBLAS
};
const char* kernelName(AqlmKernel kernel);

struct KernelChoice {
    AqlmKernel kernel = AqlmKernel::Reference;
    std::string reason;
};

// Largest token count per call that still runs the matvec kernel (the measured crossover, see
// docs/ARCHITECTURE.md "AQLM inference kernels"); larger calls decode once and use BLAS.
int64_t matvecMaxTokens(const QuantScheme& scheme, bool cuda);
// The kernel alone: called on every forward, so it builds no text.
AqlmKernel selectKernel(const QuantScheme& scheme, bool cuda, int64_t tokens);
// The kernel with the reason, for `aqlm info --kernels` and the benchmarks.
KernelChoice chooseKernel(const QuantScheme& scheme, bool cuda, int64_t tokens);
// Whether this CPU and build run the 16-bit lookup-table kernel for the scheme.
bool lutInt16Supported(const QuantScheme& scheme);
// True where this build has the CUDA kernels wired to LibTorch tensors.
bool cudaKernelsAvailable();

}  // namespace aqlm::kernels
