#include "engine/layers/kernels/cuda_glue.h"

#include "engine/api/engine_error.h"
#include "engine/cuda/aqlm_cuda_kernels.h"

#include <ATen/cuda/CUDAContext.h>

namespace aqlm::kernels {
namespace {

void check(int rc, const char* what) {
    if (rc != 0) throw EngineError("", std::string("CUDA kernel ") + what + " failed with CUDA error " + std::to_string(rc));
}
const uint16_t* u16(const at::Tensor& t) { return reinterpret_cast<const uint16_t*>(t.data_ptr()); }

}  // namespace

std::shared_ptr<CudaWeights> uploadCuda(const PackedCodes& codes, const at::Tensor& codebooks,
                                        const at::Tensor& scales, const QuantScheme& scheme, at::Device device) {
    auto w = std::make_shared<CudaWeights>();
    const at::Tensor c = codes.unpack();
    w->codes = (scheme.nbitsPerCodebook <= 8 ? c.to(at::kByte) : c.to(at::kShort)).contiguous().to(device);
    w->codebooks = codebooks.squeeze(2).to(at::kHalf).contiguous().to(device);
    w->scales = scales.reshape({-1}).to(at::kHalf).contiguous().to(device);
    return w;
}

at::Tensor cudaForward(const CudaWeights& w, const QuantScheme& s, const at::Tensor& x, AqlmKernel kernel) {
    const at::Tensor xh = x.to(at::kHalf).contiguous();
    const int64_t dOut = w.codes.size(0), dIn = xh.size(1);
    void* stream = at::cuda::getCurrentCUDAStream().stream();
    if (kernel == AqlmKernel::CudaMatvec1x16 || kernel == AqlmKernel::CudaMatvec2x8) {
        at::Tensor y = at::empty({1, dOut}, xh.options());
        auto* out = reinterpret_cast<uint16_t*>(y.data_ptr());
        if (kernel == AqlmKernel::CudaMatvec1x16)
            check(aqlm::cuda::matvec1x16g8(u16(w.codes), u16(w.codebooks), u16(w.scales), u16(xh), out, dOut, dIn, stream),
                  "matvec1x16g8");
        else
            check(aqlm::cuda::matvec2x8g8(w.codes.data_ptr<uint8_t>(), u16(w.codebooks), u16(w.scales), u16(xh), out,
                                          dOut, dIn, stream),
                  "matvec2x8g8");
        return y.to(x.scalar_type());
    }
    at::Tensor weight = at::empty({dOut, dIn}, xh.options());
    auto* wp = reinterpret_cast<uint16_t*>(weight.data_ptr());
    if (s.nbitsPerCodebook <= 8)
        check(aqlm::cuda::dequantize8(w.codes.data_ptr<uint8_t>(), u16(w.codebooks), u16(w.scales), wp, dOut, dIn,
                                      s.numCodebooks, s.nbitsPerCodebook, s.inGroupSize, stream),
              "dequantize8");
    else
        check(aqlm::cuda::dequantize16(u16(w.codes), u16(w.codebooks), u16(w.scales), wp, dOut, dIn, s.numCodebooks,
                                       s.nbitsPerCodebook, s.inGroupSize, stream),
              "dequantize16");
    return at::matmul(xh, weight.t()).to(x.scalar_type());  // cuBLAS
}

void cudaSynchronize() { at::cuda::getCurrentCUDAStream().synchronize(); }

}  // namespace aqlm::kernels
