#pragma once
// Torch-level entry points of the AQLM CPU kernels: split the rows over the engine's threads
// (at::parallel_for; every chunk writes its own output rows) and run the best ISA variant.
#include "engine/layers/kernels/packed_codes.h"

#include <ATen/ATen.h>

#include <vector>

namespace aqlm::kernels {

// Codebooks [M, K, 1, g] -> [M, g, K]: the lookup-table build vectorises over the K codewords.
at::Tensor transposeCodebooks(const at::Tensor& codebooks);

// x [n, dIn] fp32 -> y [n, dOut]. codebookT from transposeCodebooks, scales [dOut] fp32.
at::Tensor lutMatvec(const PackedCodes& codes, const at::Tensor& codebookT, const at::Tensor& scales,
                     const at::Tensor& x, const IsaKernels& isa = isaKernels());
// Same product with 16-bit fixed-point lookup tables (lut_int16.h): callers check lutInt16Supported(scheme) first.
at::Tensor lutInt16Matvec(const PackedCodes& codes, const at::Tensor& codebookT, const at::Tensor& scales,
                         const at::Tensor& x);
// One 16-bit-table layer's parts, borrowed for one call.
struct LutInt16Layer {
    const PackedCodes* codes;
    const at::Tensor* codebookT;
    const at::Tensor* scales;
};
// The same product for several layers that read the same x (q/k/v, gate/up): one parallel region
// builds every layer's tables and then runs every layer's rows (a region and its barriers cost
// microseconds; a one-token layer takes tens of them). Returns one [n, dOut] per layer, in order.
std::vector<at::Tensor> lutInt16MatvecSameInput(const std::vector<LutInt16Layer>& layers, const at::Tensor& x);
// fp16 copy of the codebooks when every value survives the round trip (else undefined): the
// 16-bit-codebook kernel then reads half the bytes.
at::Tensor exactHalfCodebooks(const at::Tensor& codebooks);
// Same, writing into a caller's [n, dOut] fp32 contiguous tensor (tests poison it first).
void lutMatvecOut(const PackedCodes& codes, const at::Tensor& codebookT, const at::Tensor& scales,
                  const at::Tensor& x, at::Tensor& y, const IsaKernels& isa = isaKernels());
// 16-bit codebooks: decodes one code vector at a time in registers, never the whole matrix.
at::Tensor codebook16Matvec(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                            const at::Tensor& x, const IsaKernels& isa = isaKernels(),
                            const at::Tensor& codebooksHalf = {});
void codebook16MatvecOut(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                         const at::Tensor& x, at::Tensor& y, const IsaKernels& isa = isaKernels(),
                         const at::Tensor& codebooksHalf = {});
// Dense [dOut, dIn] fp32 weight (bit-identical to aqlmDecode).
at::Tensor decodeWeight(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                        const IsaKernels& isa = isaKernels());
// Prefill / batches: decode into a buffer reused across calls and layers (one per calling thread),
// then one BLAS GEMM.
at::Tensor decodeGemm(const PackedCodes& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                      const at::Tensor& x, const IsaKernels& isa = isaKernels());

}  // namespace aqlm::kernels
