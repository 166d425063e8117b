#include "engine/layers/kernels/kernel_select.h"

#include "engine/layers/kernels/isa_kernels.h"
#include "engine/layers/kernels/lut_int16.h"

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
    if (text == "exact") return KernelPolicy::Exact;
    if (text == "lut-int16") return KernelPolicy::LutInt16;
    if (text == "reference") return KernelPolicy::Reference;
    if (text == "matvec") return KernelPolicy::Matvec;
    if (text == "decode-gemm") return KernelPolicy::DecodeGemm;
    throw std::invalid_argument("--kernel must be auto, exact, reference, matvec, decode-gemm or lut-int16, not '" +
                                text + "'");
}

const char* kernelName(AqlmKernel kernel) {
    switch (kernel) {
    case AqlmKernel::Reference: return "reference-decode";
    case AqlmKernel::CpuLut8: return "cpu-lut8";
    case AqlmKernel::CpuLut8Int16: return "cpu-lut8-int16";
    case AqlmKernel::CpuCodebook16: return "cpu-codebook16";
    case AqlmKernel::CpuDecodeGemm: return "cpu-decode-gemm";
    case AqlmKernel::CudaMatvec1x16: return "cuda-matvec-1x16";
    case AqlmKernel::CudaMatvec2x8: return "cuda-matvec-2x8";
    case AqlmKernel::CudaDequantGemm: return "cuda-dequant-cublas";
    }
    return "?";
}

bool lutInt16Supported(const QuantScheme& s) {
    static const bool cpu = lutInt16Available();
    return cpu && s.nbitsPerCodebook <= 8 && lutInt16Fits(s.numCodebooks, s.codebookSize());
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

namespace {
// The token limit in effect under the current policy.
int64_t effectiveLimit(const QuantScheme& s, bool cuda, int64_t tokens) {
    if (kernelPolicy() == KernelPolicy::DecodeGemm) return 0;
    const bool forced = kernelPolicy() == KernelPolicy::Matvec || kernelPolicy() == KernelPolicy::LutInt16;
    if (!cuda && forced) return tokens;  // the CUDA matvecs take one token
    return matvecMaxTokens(s, cuda);
}
}  // namespace

AqlmKernel selectKernel(const QuantScheme& s, bool cuda, int64_t tokens) {
    if (kernelPolicy() == KernelPolicy::Reference || s.inGroupSize > 64) return AqlmKernel::Reference;
    const bool matvec = tokens <= effectiveLimit(s, cuda, tokens);
    if (cuda) {
        if (matvec && s.numCodebooks == 1 && s.nbitsPerCodebook == 16 && s.inGroupSize == 8)
            return AqlmKernel::CudaMatvec1x16;
        if (matvec && s.numCodebooks == 2 && s.nbitsPerCodebook == 8 && s.inGroupSize == 8)
            return AqlmKernel::CudaMatvec2x8;
        return AqlmKernel::CudaDequantGemm;
    }
    if (!matvec) return AqlmKernel::CpuDecodeGemm;
    const KernelPolicy policy = kernelPolicy();
    if ((policy == KernelPolicy::Auto || policy == KernelPolicy::LutInt16) && lutInt16Supported(s))
        return AqlmKernel::CpuLut8Int16;
    return s.nbitsPerCodebook <= 8 ? AqlmKernel::CpuLut8 : AqlmKernel::CpuCodebook16;
}

KernelChoice chooseKernel(const QuantScheme& s, bool cuda, int64_t tokens) {
    const AqlmKernel kernel = selectKernel(s, cuda, tokens);
    const int64_t limit = effectiveLimit(s, cuda, tokens);
    const std::string count = std::to_string(tokens) + " token" + (tokens == 1 ? "" : "s");
    const std::string bits = std::to_string(s.nbitsPerCodebook) + "-bit codebooks";
    switch (kernel) {
    case AqlmKernel::Reference:
        if (kernelPolicy() == KernelPolicy::Reference)
            return {kernel, "kernel policy 'reference' forces the decode path"};
        return {kernel, "group size " + std::to_string(s.inGroupSize) + " > 64 has no fast kernel"};
    case AqlmKernel::CudaMatvec1x16: return {kernel, count + ", 1x16 g8 on CUDA: warp-per-row matvec"};
    case AqlmKernel::CudaMatvec2x8: return {kernel, count + ", 2x8 g8 on CUDA: shared-memory codebook matvec"};
    case AqlmKernel::CudaDequantGemm:
        return {kernel, tokens > limit ? count + " > " + std::to_string(limit) + ": dequantize once, cuBLAS GEMM"
                                       : "no CUDA matvec kernel for " + s.toString() + ": dequantize + cuBLAS"};
    case AqlmKernel::CpuDecodeGemm:
        return {kernel, count + " > crossover " + std::to_string(limit) + ": decode once into a reused buffer, BLAS GEMM"};
    case AqlmKernel::CpuLut8:
        return {kernel, count + " <= " + std::to_string(limit) + ", " + bits + ": lookup table + gathered sums (" +
                            isaKernels().name + ")"};
    case AqlmKernel::CpuLut8Int16:
        return {kernel, count + " <= " + std::to_string(limit) + ", " + bits +
                            ": 16-bit fixed-point lookup tables, byte permutes (avx512vbmi + vnni)"};
    case AqlmKernel::CpuCodebook16:
        return {kernel, count + " <= " + std::to_string(limit) + ", " + bits +
                            " (table too large for a LUT): code vectors decoded per row (" + isaKernels().name + ")"};
    }
    return {kernel, ""};
}

}  // namespace aqlm::kernels
