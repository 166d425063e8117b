#include "engine/quant/kernels/kernel_select.h"

#include "engine/quant/kernels/isa_kernels.h"

#include <atomic>
#include <stdexcept>

namespace aqlm::kernels {
namespace {
std::atomic<KernelPolicy> g_policy{KernelPolicy::Auto};
}

void setKernelPolicy(KernelPolicy policy) { g_policy = policy; }
KernelPolicy kernelPolicy() { return g_policy; }

KernelPolicy parseKernelPolicy(const std::string& text) {
    if (text == "auto") return KernelPolicy::Auto;
    if (text == "reference") return KernelPolicy::Reference;
    if (text == "matvec") return KernelPolicy::Matvec;
    if (text == "decode-gemm") return KernelPolicy::DecodeGemm;
    throw std::invalid_argument("--kernel must be auto, reference, matvec or decode-gemm, not '" + text + "'");
}

const char* kernelName(AqlmKernel kernel) {
    switch (kernel) {
    case AqlmKernel::Reference: return "reference-decode";
    case AqlmKernel::CpuLut8: return "cpu-lut8";
    case AqlmKernel::CpuCodebook16: return "cpu-codebook16";
    case AqlmKernel::CpuDecodeGemm: return "cpu-decode-gemm";
    case AqlmKernel::CudaMatvec1x16: return "cuda-matvec-1x16";
    case AqlmKernel::CudaMatvec2x8: return "cuda-matvec-2x8";
    case AqlmKernel::CudaDequantGemm: return "cuda-dequant-cublas";
    }
    return "?";
}

bool cudaKernelsAvailable() {
#ifdef AQLM_TORCH_CUDA
    return true;
#else
    return false;
#endif
}

int64_t matvecMaxTokens(const QuantScheme& s, bool cuda) {
    if (cuda) return 1;  // the CUDA matvec kernels take one token; cuBLAS wins for more
    // Measured with bench/kernels/crossover.sh and `aqlm bench matvec --kernel matvec|decode-gemm
    // --tokens N` on the 2-core AVX-512 box (bench/RESULTS.md): on a 4096x11008 layer the matvec
    // kernels stay faster than decode + GEMM up to about 16 tokens for every scheme measured.
    (void)s;
    return 16;
}

KernelChoice chooseKernel(const QuantScheme& s, bool cuda, int64_t tokens) {
    if (kernelPolicy() == KernelPolicy::Reference)
        return {AqlmKernel::Reference, "kernel policy 'reference' forces the decode path"};
    if (s.inGroupSize > 64)
        return {AqlmKernel::Reference, "group size " + std::to_string(s.inGroupSize) + " > 64 has no fast kernel"};
    int64_t limit = matvecMaxTokens(s, cuda);
    if (!cuda && kernelPolicy() == KernelPolicy::Matvec) limit = tokens;  // the CUDA matvecs take one token
    if (kernelPolicy() == KernelPolicy::DecodeGemm) limit = 0;
    const std::string count = std::to_string(tokens) + " token" + (tokens == 1 ? "" : "s");
    if (cuda) {
        if (tokens <= limit && s.numCodebooks == 1 && s.nbitsPerCodebook == 16 && s.inGroupSize == 8)
            return {AqlmKernel::CudaMatvec1x16, count + ", 1x16 g8 on CUDA: warp-per-row matvec"};
        if (tokens <= limit && s.numCodebooks == 2 && s.nbitsPerCodebook == 8 && s.inGroupSize == 8)
            return {AqlmKernel::CudaMatvec2x8, count + ", 2x8 g8 on CUDA: shared-memory codebook matvec"};
        return {AqlmKernel::CudaDequantGemm,
                tokens > limit ? count + " > " + std::to_string(limit) + ": dequantize once, cuBLAS GEMM"
                               : "no CUDA matvec kernel for " + s.toString() + ": dequantize + cuBLAS"};
    }
    if (tokens > limit)
        return {AqlmKernel::CpuDecodeGemm,
                count + " > crossover " + std::to_string(limit) + ": decode once into a reused buffer, BLAS GEMM"};
    if (s.nbitsPerCodebook <= 8)
        return {AqlmKernel::CpuLut8, count + " <= " + std::to_string(limit) + ", " + std::to_string(s.nbitsPerCodebook) +
                                         "-bit codebooks: lookup table + gathered sums (" + isaKernels().name + ")"};
    return {AqlmKernel::CpuCodebook16, count + " <= " + std::to_string(limit) + ", " +
                                           std::to_string(s.nbitsPerCodebook) +
                                           "-bit codebooks (table too large for a LUT): code vectors decoded per row (" +
                                           isaKernels().name + ")"};
}

}  // namespace aqlm::kernels
