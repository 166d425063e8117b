#include "engine/cuda/aqlm_cuda_kernels.h"

#include <cuda_fp16.h>
#include <cuda_runtime.h>

namespace aqlm::cuda {
namespace {

constexpr int kWarp = 32;
constexpr int kWarpsPerBlock = 8;

__device__ __forceinline__ float warpSum(float v) {
    for (int offset = kWarp / 2; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
    return v;
}

// <a, b> of 8 halves packed in two uint4, fp32 accumulation.
__device__ __forceinline__ float dot8(const uint4& a, const uint4& b) {
    const __half2* ha = reinterpret_cast<const __half2*>(&a);
    const __half2* hb = reinterpret_cast<const __half2*>(&b);
    float s = 0.f;
#pragma unroll
    for (int k = 0; k < 4; ++k) {
        const float2 fa = __half22float2(ha[k]), fb = __half22float2(hb[k]);
        s = fmaf(fa.x, fb.x, s);
        s = fmaf(fa.y, fb.y, s);
    }
    return s;
}

__global__ void matvec1x16g8Kernel(const uint16_t* __restrict__ codes, const uint4* __restrict__ codebook,
                                   const __half* __restrict__ scales, const uint4* __restrict__ x,
                                   __half* __restrict__ y, int64_t dOut, int64_t groups) {
    const int64_t row = int64_t(blockIdx.x) * kWarpsPerBlock + threadIdx.x / kWarp;
    if (row >= dOut) return;
    const int lane = threadIdx.x % kWarp;
    const uint16_t* rowCodes = codes + row * groups;
    float acc = 0.f;
    for (int64_t j = lane; j < groups; j += kWarp) acc += dot8(__ldg(codebook + rowCodes[j]), __ldg(x + j));
    acc = warpSum(acc);
    if (lane == 0) y[row] = __float2half(acc * __half2float(scales[row]));
}

__global__ void matvec2x8g8Kernel(const uint16_t* __restrict__ codes, const uint4* __restrict__ codebooks,
                                  const __half* __restrict__ scales, const uint4* __restrict__ x,
                                  __half* __restrict__ y, int64_t dOut, int64_t groups) {
    __shared__ uint4 book[2 * 256];  // 8 KiB: both codebooks
    for (int i = threadIdx.x; i < 2 * 256; i += blockDim.x) book[i] = codebooks[i];
    __syncthreads();
    const int lane = threadIdx.x % kWarp;
    for (int64_t row = int64_t(blockIdx.x) * kWarpsPerBlock + threadIdx.x / kWarp; row < dOut;
         row += int64_t(gridDim.x) * kWarpsPerBlock) {
        const uint16_t* rowCodes = codes + row * groups;  // two uint8 codes per group, read as one uint16
        float acc = 0.f;
        for (int64_t j = lane; j < groups; j += kWarp) {
            const uint16_t c = rowCodes[j];
            const uint4 a = book[c & 0xff], b = book[256 + (c >> 8)];
            const __half2* ha = reinterpret_cast<const __half2*>(&a);
            const __half2* hb = reinterpret_cast<const __half2*>(&b);
            const uint4 xv = __ldg(x + j);
            const __half2* hx = reinterpret_cast<const __half2*>(&xv);
#pragma unroll
            for (int k = 0; k < 4; ++k) {
                const float2 fa = __half22float2(ha[k]), fb = __half22float2(hb[k]), fx = __half22float2(hx[k]);
                acc = fmaf(fa.x + fb.x, fx.x, acc);
                acc = fmaf(fa.y + fb.y, fx.y, acc);
            }
        }
        acc = warpSum(acc);
        if (lane == 0) y[row] = __float2half(acc * __half2float(scales[row]));
    }
}

template <typename Code>
__global__ void dequantizeKernel(const Code* __restrict__ codes, const __half* __restrict__ codebooks,
                                 const __half* __restrict__ scales, __half* __restrict__ w, int64_t dOut,
                                 int64_t groups, int M, int64_t K, int g) {
    const int64_t total = dOut * groups * g;
    for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; idx < total;
         idx += int64_t(gridDim.x) * blockDim.x) {
        const int64_t d = idx % g, cell = idx / g, row = cell / groups;
        float v = 0.f;
        for (int m = 0; m < M; ++m) v += __half2float(codebooks[(m * K + codes[cell * M + m]) * g + d]);
        w[idx] = __float2half(v * __half2float(scales[row]));
    }
}

int status() { return static_cast<int>(cudaGetLastError()); }

template <typename Code>
int dequantize(const Code* codes, const uint16_t* codebooks, const uint16_t* scales, uint16_t* w, int64_t dOut,
               int64_t dIn, int M, int nbits, int g, void* stream) {
    const int64_t total = dOut * dIn;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads < 65535 * 8 ? (total + threads - 1) / threads : 65535 * 8;
    dequantizeKernel<Code><<<static_cast<unsigned>(blocks), threads, 0, static_cast<cudaStream_t>(stream)>>>(
        codes, reinterpret_cast<const __half*>(codebooks), reinterpret_cast<const __half*>(scales),
        reinterpret_cast<__half*>(w), dOut, dIn / g, M, int64_t(1) << nbits, g);
    return status();
}

}  // namespace

int matvec1x16g8(const uint16_t* codes, const uint16_t* codebook, const uint16_t* scales, const uint16_t* x,
                 uint16_t* y, int64_t dOut, int64_t dIn, void* stream) {
    const unsigned blocks = static_cast<unsigned>((dOut + kWarpsPerBlock - 1) / kWarpsPerBlock);
    matvec1x16g8Kernel<<<blocks, kWarpsPerBlock * kWarp, 0, static_cast<cudaStream_t>(stream)>>>(
        codes, reinterpret_cast<const uint4*>(codebook), reinterpret_cast<const __half*>(scales),
        reinterpret_cast<const uint4*>(x), reinterpret_cast<__half*>(y), dOut, dIn / 8);
    return status();
}

int matvec2x8g8(const uint8_t* codes, const uint16_t* codebooks, const uint16_t* scales, const uint16_t* x,
                uint16_t* y, int64_t dOut, int64_t dIn, void* stream) {
    // Enough blocks to fill the GPU; each loops over rows so the codebook load is amortised.
    const int64_t needed = (dOut + kWarpsPerBlock - 1) / kWarpsPerBlock;
    const unsigned blocks = static_cast<unsigned>(needed < 1024 ? needed : 1024);
    matvec2x8g8Kernel<<<blocks, kWarpsPerBlock * kWarp, 0, static_cast<cudaStream_t>(stream)>>>(
        reinterpret_cast<const uint16_t*>(codes), reinterpret_cast<const uint4*>(codebooks),
        reinterpret_cast<const __half*>(scales), reinterpret_cast<const uint4*>(x), reinterpret_cast<__half*>(y),
        dOut, dIn / 8);
    return status();
}

int dequantize8(const uint8_t* codes, const uint16_t* codebooks, const uint16_t* scales, uint16_t* w, int64_t dOut,
                int64_t dIn, int M, int nbits, int g, void* stream) {
    return dequantize(codes, codebooks, scales, w, dOut, dIn, M, nbits, g, stream);
}

int dequantize16(const uint16_t* codes, const uint16_t* codebooks, const uint16_t* scales, uint16_t* w,
                 int64_t dOut, int64_t dIn, int M, int nbits, int g, void* stream) {
    return dequantize(codes, codebooks, scales, w, dOut, dIn, M, nbits, g, stream);
}

}  // namespace aqlm::cuda
