#pragma once
// Which AQLM kernel runs a layer: by device, scheme and number of tokens in the call.
// A process-wide policy lets tests and the CLI (--kernel reference) force the reference decode path.
#include "engine/api/quant_types.h"

#include <cstdint>
#include <string>

namespace aqlm::kernels {

// Matvec / DecodeGemm force one CPU path whatever the token count (crossover measurements).
enum class KernelPolicy { Auto, Reference, Matvec, DecodeGemm };
void setKernelPolicy(KernelPolicy policy);
KernelPolicy kernelPolicy();
// "auto" | "reference" | "matvec" | "decode-gemm"; throws std::invalid_argument otherwise.
KernelPolicy parseKernelPolicy(const std::string& text);

enum class AqlmKernel {
    Reference,       // aqlmDecode (Torch ops) + dense matmul: what every fast kernel is checked against
    CpuLut8,         // Kx8 lookup table + gathered sums
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
// True where this build has the CUDA kernels wired to LibTorch tensors.
bool cudaKernelsAvailable();

}  // namespace aqlm::kernels
