// Driver of the fp16 / bf16 dense kernels: validates, splits the rows over the engine's threads
// (every chunk writes its own output rows) and runs the chosen ISA variant.
#include "engine/layers/kernels/dense_half_kernels.h"
#include "engine/layers/kernels/parallel_chunks.h"

#include "engine/api/engine_error.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>

namespace aqlm::kernels {

namespace {

// Measured on the 2-core AMD EPYC of bench/RESULTS.md ("fp16/bf16 dense kernels"): the row pass beat
// OpenBLAS on converted tiles at every token count tried (1 to 1024; it runs 8 tokens per pass over an
// L2-resident row block at close to the FMA peak, OpenBLAS's sgemm did not), so Auto never switches here.
// AQLM_HALF_GEMM_MIN_TOKENS=N switches from N tokens on, for machines with a stronger BLAS.
int64_t gemmMinTokensFromEnvironment() {
    if (const char* text = std::getenv("AQLM_HALF_GEMM_MIN_TOKENS"); text && *text) {
        char* end = nullptr;
        const long long value = std::strtoll(text, &end, 10);
        if (end && *end == '\0' && value > 0) return value;
    }
    return std::numeric_limits<int64_t>::max();
}

// A row block of about 256 KiB of 16-bit weights stays in L2 while every group of 8 tokens passes over it.
int64_t rowPassBlockRows(int64_t dIn) { return std::max<int64_t>(1, (int64_t(256) << 10) / (2 * dIn)); }

// One fp32 tile of about 1 MiB per thread: hot in L2 when BLAS reads it right after the conversion.
int64_t gemmTileRows(int64_t dIn) {
    const int64_t rows = (int64_t(1) << 20) / (4 * dIn);
    return std::clamp<int64_t>(rows - rows % 16, 16, 256);
}

// About eight chunks per thread, each at least ~64 KiB of weights (less is not worth a thread hand-off).
int64_t rowChunk(int64_t dOut, int64_t dIn) {
    const int64_t minimum = std::max<int64_t>(1, (int64_t(64) << 10) / (2 * dIn));
    return std::max<int64_t>(minimum, dOut / (8 * std::max(1, at::get_num_threads())));
}

HalfFormat formatOf(const at::Tensor& weight, const char* caller) {
    if (weight.scalar_type() == at::kHalf) return HalfFormat::Fp16;
    if (weight.scalar_type() == at::kBFloat16) return HalfFormat::Bf16;
    throw EngineError("", std::string(caller) + ": the weight is " + std::string(c10::toString(weight.scalar_type())) +
                              ", expected fp16 or bf16");
}

void checkWeight(const at::Tensor& weight, const char* caller) {
    if (weight.dim() != 2 || !weight.is_contiguous() || !weight.device().is_cpu())
        throw EngineError("", std::string(caller) + ": the weight must be a contiguous 2-D CPU tensor");
}

const uint16_t* weightBits(const at::Tensor& weight) {
    // const access only: the weight may live in a read-only mapping of the checkpoint.
    return static_cast<const uint16_t*>(weight.data_ptr());
}

float* scratch(at::Tensor& buffer, int64_t floats) {
    if (!buffer.defined() || buffer.numel() < floats) buffer = at::empty({floats}, at::kFloat);
    return buffer.data_ptr<float>();
}

void rowPass(const float* x, const uint16_t* w, float* y, int64_t n, int64_t dIn, int64_t dOut, HalfFormat format,
             const HalfKernels& isa) {
    const int64_t blockRows = rowPassBlockRows(dIn);
    parallelChunks(dOut, rowChunk(dOut, dIn), [&](int64_t begin, int64_t end) {
        for (int64_t rowBegin = begin; rowBegin < end; rowBegin += blockRows) {
            const int64_t rowEnd = std::min(end, rowBegin + blockRows);
            for (int64_t k = 0; k < n; k += kHalfMaxTokensPerPass) {
                const HalfMatvecJob job{w, x + k * dIn, y + k * dOut, std::min(kHalfMaxTokensPerPass, n - k),
                                        dIn, dOut, dOut, format};
                isa.matvec(job, rowBegin, rowEnd);
            }
        }
    });
}

// y^T [dOut, n] tile by tile: yT rows of a tile are contiguous, so BLAS writes them in place.
at::Tensor tiledGemm(const at::Tensor& x2, const uint16_t* w, int64_t dIn, int64_t dOut, HalfFormat format,
                     const HalfKernels& isa) {
    const int64_t n = x2.size(0);
    const int64_t tileRows = gemmTileRows(dIn);
    const int64_t tiles = (dOut + tileRows - 1) / tileRows;
    at::Tensor yT = at::empty({dOut, n}, at::kFloat);
    const at::Tensor xT = x2.t();
    // One tile per task, converted and multiplied by the same thread while it is hot in its L2.
    parallelChunks(tiles, 1, [&](int64_t tileBegin, int64_t tileEnd) {
        thread_local at::Tensor buffer;
        float* tileFloats = scratch(buffer, tileRows * dIn);
        for (int64_t t = tileBegin; t < tileEnd; ++t) {
            const int64_t rowBegin = t * tileRows, rows = std::min(tileRows, dOut - rowBegin);
            isa.toFloat(w + rowBegin * dIn, tileFloats, rows * dIn, format);
            at::Tensor out = yT.narrow(0, rowBegin, rows);
            at::mm_out(out, buffer.narrow(0, 0, rows * dIn).view({rows, dIn}), xT);
        }
    });
    return yT.t().contiguous();
}

}  // namespace

const char* halfPathName(HalfPath path) {
    switch (path) {
        case HalfPath::Auto: return "auto";
        case HalfPath::RowPass: return "row-pass";
        case HalfPath::TiledGemm: return "tiled-gemm";
    }
    return "?";
}

int64_t halfGemmMinTokens() {
    static const int64_t tokens = gemmMinTokensFromEnvironment();
    return tokens;
}

at::Tensor halfLinearForward(const at::Tensor& x, const at::Tensor& weight) {
    return halfLinearForward(x, weight, HalfPath::Auto, halfKernels());
}

at::Tensor halfLinearForward(const at::Tensor& x, const at::Tensor& weight, HalfPath path, const HalfKernels& isa) {
    const char* caller = "fp16/bf16 linear";
    const HalfFormat format = formatOf(weight, caller);
    checkWeight(weight, caller);
    const int64_t dOut = weight.size(0), dIn = weight.size(1);
    if (x.dim() < 1 || x.size(-1) != dIn || x.scalar_type() != at::kFloat)
        throw EngineError("", std::string(caller) + ": input of shape " + c10::str(x.sizes()) + " and type " +
                                  c10::toString(x.scalar_type()) + " does not fit a [" + std::to_string(dOut) + ", " +
                                  std::to_string(dIn) + "] weight (expected fp32 [..., " + std::to_string(dIn) + "])");
    std::vector<int64_t> outShape = x.sizes().vec();
    outShape.back() = dOut;
    const at::Tensor x2 = x.reshape({-1, dIn}).contiguous();
    const int64_t n = x2.size(0);
    if (n == 0 || dOut == 0) return at::zeros(outShape, at::kFloat);
    if (dIn == 0) return at::zeros(outShape, at::kFloat);
    if (path == HalfPath::Auto) path = n >= halfGemmMinTokens() ? HalfPath::TiledGemm : HalfPath::RowPass;
    if (path == HalfPath::TiledGemm) return tiledGemm(x2, weightBits(weight), dIn, dOut, format, isa).view(outShape);
    at::Tensor y = at::empty({n, dOut}, at::kFloat);
    rowPass(x2.data_ptr<float>(), weightBits(weight), y.data_ptr<float>(), n, dIn, dOut, format, isa);
    return y.view(outShape);
}

at::Tensor halfRowsToFloat(const at::Tensor& weight, int64_t rowBegin, int64_t rowEnd, const HalfKernels& isa) {
    const char* caller = "fp16/bf16 rows to fp32";
    const HalfFormat format = formatOf(weight, caller);
    checkWeight(weight, caller);
    if (rowBegin < 0 || rowEnd < rowBegin || rowEnd > weight.size(0))
        throw EngineError("", std::string(caller) + ": rows [" + std::to_string(rowBegin) + ", " +
                                  std::to_string(rowEnd) + ") outside a weight of " +
                                  std::to_string(weight.size(0)) + " rows");
    const int64_t cols = weight.size(1);
    at::Tensor out = at::empty({rowEnd - rowBegin, cols}, at::kFloat);
    const uint16_t* w = weightBits(weight) + rowBegin * cols;
    float* dst = out.data_ptr<float>();
    parallelChunks(rowEnd - rowBegin, rowChunk(rowEnd - rowBegin, std::max<int64_t>(cols, 1)), [&](int64_t b, int64_t e) {
        isa.toFloat(w + b * cols, dst + b * cols, (e - b) * cols, format);
    });
    return out;
}

Int8Rows quantizeRowsInt8(const at::Tensor& weight) {
    if (weight.dim() != 2) throw EngineError("", "int8 rows: the weight must be 2-D");
    const int64_t rows = weight.size(0), cols = weight.size(1);
    const int64_t blocks = int8BlocksPerRow(cols), padded = blocks * kInt8Block;
    Int8Rows out{at::empty({rows, cols}, at::kChar), at::empty({rows, blocks}, at::kFloat)};
    // A few MiB of fp32 at a time: the whole head in fp32 is half a GiB at the 7B shape.
    const int64_t chunkRows = std::max<int64_t>(1, (int64_t(4) << 20) / (4 * std::max<int64_t>(padded, 1)));
    for (int64_t r = 0; r < rows; r += chunkRows) {
        const int64_t n = std::min(chunkRows, rows - r);
        at::Tensor chunk = weight.narrow(0, r, n).to(at::kFloat);
        if (padded != cols) chunk = at::constant_pad_nd(chunk, {0, padded - cols});
        const at::Tensor byBlock = chunk.view({n, blocks, kInt8Block});
        const at::Tensor scale = byBlock.abs().amax(-1) / 127.f;  // symmetric: +-127, never -128
        const at::Tensor q = at::round(byBlock / scale.clamp_min(std::numeric_limits<float>::min()).unsqueeze(-1));
        out.weight.narrow(0, r, n).copy_(q.view({n, padded}).narrow(1, 0, cols).to(at::kChar));
        out.scales.narrow(0, r, n).copy_(scale);
    }
    return out;
}

at::Tensor int8RowsForward(const Int8Rows& rows, const float* x, const HalfKernels& isa) {
    const int64_t dOut = rows.weight.size(0), dIn = rows.weight.size(1);
    at::Tensor y = at::empty({1, dOut}, at::kFloat);
    const Int8MatvecJob job{rows.weight.data_ptr<int8_t>(), rows.scales.data_ptr<float>(), x, y.data_ptr<float>(), dIn};
    parallelChunks(dOut, rowChunk(dOut, std::max<int64_t>(dIn / 2, 1)),
                   [&](int64_t begin, int64_t end) { isa.int8Matvec(job, begin, end); });
    return y;
}

}  // namespace aqlm::kernels
