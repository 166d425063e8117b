#include "engine/quant/int_quantizers.h"

#include "engine/api/engine_error.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace aqlm {

namespace {

struct Grid {
    at::Tensor scale;  // fp32, shape of the reduced statistics
    at::Tensor zero;   // fp32, integer-valued in [0, maxq]
};

// Asymmetric min/max grid over the last dimension of `w` (fp32). The range is widened to contain 0
// so that the zero point never clamps and every value lies within scale/2 of a grid point; an
// empty (or denormal) range falls back to [-1, 1], which encodes zeros exactly.
Grid gridFor(const at::Tensor& w, double maxq) {
    auto xmin = at::clamp_max(std::get<0>(w.min(-1)), 0.0);
    auto xmax = at::clamp_min(std::get<0>(w.max(-1)), 0.0);
    auto degenerate = (xmax - xmin) / maxq <= 0;  // zero range, or so small that the scale underflows
    xmin = at::where(degenerate, at::full_like(xmin, -1.0), xmin);
    xmax = at::where(degenerate, at::full_like(xmax, 1.0), xmax);
    Grid g;
    g.scale = (xmax - xmin) / maxq;
    g.zero = at::clamp(at::round(-xmin / g.scale), 0.0, maxq);
    return g;
}

// q = clamp(round(w / scale) + zero, 0, maxq), elementwise in fp32 (scale/zero broadcast against w).
at::Tensor quantizeTo(const at::Tensor& w, const at::Tensor& scale, const at::Tensor& zero, double maxq) {
    return at::clamp(at::round(w / scale) + zero, 0.0, maxq);
}

int checkBits(int bits) {
    if (bits < 2 || bits > 8)
        throw EngineError("", "integer quantization needs 2 to 8 bits, got " + std::to_string(bits));
    return bits;
}

// Validates W and the group size; returns the effective group size (dIn for one group per row).
int64_t checkWeightAndGroups(const at::Tensor& W, int groupSize, const char* method) {
    if (!W.defined() || W.dim() != 2 || W.size(0) == 0 || W.size(1) == 0)
        throw EngineError("", std::string(method) + ": weight must be a non-empty 2-D matrix [dOut, dIn]");
    if (!at::isFloatingType(W.scalar_type()))
        throw EngineError("", std::string(method) + ": weight must be a floating-point tensor");
    if (!at::isfinite(W).all().item<bool>())
        throw EngineError("", std::string(method) + ": weight contains NaN or infinite values");
    const int64_t dIn = W.size(1);
    if (groupSize <= 0 || groupSize >= dIn) return dIn;
    if (dIn % groupSize != 0)
        throw EngineError("", std::string(method) + ": group size " + std::to_string(groupSize) +
                                  " does not divide the input dimension " + std::to_string(dIn),
                          "use a divisor of " + std::to_string(dIn) + ", or 0 for one group per row");
    return groupSize;
}

}  // namespace

IntQuantized quantizeRtn(const at::Tensor& W, int bits, int groupSize) {
    checkBits(bits);
    const int64_t gs = checkWeightAndGroups(W, groupSize, "RTN");
    const double maxq = double((1 << bits) - 1);
    const int64_t dOut = W.size(0), dIn = W.size(1), nGroups = dIn / gs;

    auto Wf = W.to(at::kCPU, at::kFloat).contiguous().view({dOut, nGroups, gs});
    Grid grid = gridFor(Wf, maxq);  // [dOut, nGroups]
    auto q = quantizeTo(Wf, grid.scale.unsqueeze(2), grid.zero.unsqueeze(2), maxq);

    IntQuantized out;
    out.qweight = q.view({dOut, dIn}).to(at::kByte);
    out.scales = grid.scale.contiguous();
    out.zeros = grid.zero.contiguous();
    out.groupIndex = at::div(at::arange(dIn, at::kLong), gs, "floor").to(at::kInt);
    out.bits = bits;
    out.groupSize = int(gs);
    return out;
}

namespace {

void validateGptqInputs(const at::Tensor& H, int64_t dIn, const GptqOptions& options) {
    if (!H.defined() || H.dim() != 2 || H.size(0) != dIn || H.size(1) != dIn)
        throw EngineError("", "GPTQ: Hessian must be [dIn, dIn] = [" + std::to_string(dIn) + ", " +
                                  std::to_string(dIn) + "]");
    if (!at::isFloatingType(H.scalar_type()) || !at::isfinite(H).all().item<bool>())
        throw EngineError("", "GPTQ: Hessian must be a finite floating-point matrix");
    if (!(options.dampening >= 0) || !std::isfinite(options.dampening))
        throw EngineError("", "GPTQ: dampening must be a finite non-negative number");
    if (options.blockSize < 1) throw EngineError("", "GPTQ: block size must be at least 1");
}

// W and H in processing order: dead inputs zeroed (unit diagonal keeps H invertible), columns
// sorted by activation (act-order, perm defined), H dampened.
struct GptqProblem {
    at::Tensor W;     // [dOut, dIn] fp32, processing order
    at::Tensor H;     // [dIn, dIn] fp64, processing order, dampened
    at::Tensor perm;  // processing column -> original column (undefined: identity)
};

GptqProblem prepareGptqProblem(const at::Tensor& W, const at::Tensor& H, const GptqOptions& options) {
    GptqProblem p;
    p.W = W.to(at::kCPU, at::kFloat).contiguous().clone();
    p.H = H.to(at::kCPU, at::kDouble).contiguous().clone();
    auto dead = p.H.diagonal() == 0;
    p.H.diagonal().masked_fill_(dead, 1.0);
    p.W.masked_fill_(dead.unsqueeze(0), 0.0);
    if (options.actOrder) {
        p.perm = std::get<1>(at::sort(p.H.diagonal(), /*stable=*/true, /*dim=*/0, /*descending=*/true));
        p.W = p.W.index_select(1, p.perm).contiguous();
        p.H = p.H.index_select(0, p.perm).index_select(1, p.perm).contiguous();
    }
    p.H.diagonal().add_(options.dampening * p.H.diagonal().mean().item<double>());
    return p;
}

// Upper Cholesky factor of H^-1: row i holds the error-feedback coefficients of column i.
at::Tensor inverseHessianFactor(const at::Tensor& Hd) {
    auto chol = at::linalg_cholesky_ex(Hd, /*upper=*/false, /*check_errors=*/false);
    if (std::get<1>(chol).item<int64_t>() != 0)
        throw EngineError("", "GPTQ: the Hessian is not positive definite even after dampening",
                          "increase dampening or collect more calibration data");
    auto cholInv = at::linalg_cholesky_ex(at::cholesky_inverse(std::get<0>(chol), /*upper=*/false), /*upper=*/true,
                                          /*check_errors=*/false);
    if (std::get<1>(cholInv).item<int64_t>() != 0)
        throw EngineError("", "GPTQ: the inverse Hessian is numerically singular",
                          "increase dampening or collect more calibration data");
    return std::get<0>(cholInv).to(at::kFloat).contiguous();
}

struct GptqCodes {
    at::Tensor Q, scales, zeros;  // processing order
};

// Column by column with error feedback through Hinv, in lazy blocks of options.blockSize columns.
GptqCodes quantizeColumns(at::Tensor& Wf, const at::Tensor& Hinv, int64_t gs, double maxq, int64_t blockSize,
                          const CancelToken* cancel) {
    const int64_t dOut = Wf.size(0), dIn = Wf.size(1);
    GptqCodes out{at::empty({dOut, dIn}, at::kFloat), at::empty({dOut, dIn / gs}, at::kFloat),
                  at::empty({dOut, dIn / gs}, at::kFloat)};
    at::Tensor scale, zero;
    for (int64_t i1 = 0; i1 < dIn; i1 += blockSize) {
        if (cancel) cancel->throwIfCancelled();
        const int64_t i2 = std::min(i1 + blockSize, dIn), count = i2 - i1;
        auto W1 = Wf.narrow(1, i1, count).clone();
        auto Err1 = at::zeros({dOut, count}, at::kFloat);
        auto Hinv1 = Hinv.narrow(0, i1, count).narrow(1, i1, count).contiguous();
        auto hinvAcc = Hinv1.accessor<float, 2>();

        for (int64_t i = 0; i < count; ++i) {
            const int64_t col = i1 + i;
            if (col % gs == 0) {
                // Group statistics from the current weights: in-block columns carry all updates in W1;
                // columns past the block still owe this block's pending updates from columns [i1, col).
                const int64_t end = std::min(col + gs, dIn), inBlock = std::min(end, i2) - col;
                auto groupW = W1.narrow(1, i, inBlock);
                if (end > i2) {
                    auto tail = Wf.narrow(1, i2, end - i2);
                    if (i > 0)
                        tail = tail - Err1.narrow(1, 0, i).matmul(Hinv.narrow(0, i1, i).narrow(1, i2, end - i2));
                    groupW = at::cat({groupW, tail}, 1);
                }
                Grid grid = gridFor(groupW, maxq);
                scale = grid.scale;
                zero = grid.zero;
                out.scales.select(1, col / gs).copy_(scale);
                out.zeros.select(1, col / gs).copy_(zero);
            }
            auto w = W1.select(1, i);
            auto q = quantizeTo(w, scale, zero, maxq);
            out.Q.select(1, col).copy_(q);
            auto err = (w - (q - zero) * scale) / hinvAcc[i][i];
            Err1.select(1, i).copy_(err);
            if (i + 1 < count)
                W1.narrow(1, i + 1, count - i - 1)
                    .addr_(err, Hinv1.select(0, i).narrow(0, i + 1, count - i - 1), 1, -1);
        }
        if (i2 < dIn)  // lazy batch update: the whole block's error reaches later columns in one matmul
            Wf.narrow(1, i2, dIn - i2).addmm_(Err1, Hinv.narrow(0, i1, count).narrow(1, i2, dIn - i2), 1, -1);
    }
    return out;
}

}  // namespace

IntQuantized quantizeGptq(const at::Tensor& W, const at::Tensor& H, const GptqOptions& options,
                          const CancelToken* cancel) {
    const int bits = checkBits(options.bits);
    const int64_t gs = checkWeightAndGroups(W, options.groupSize, "GPTQ");
    const int64_t dIn = W.size(1);
    validateGptqInputs(H, dIn, options);
    if (cancel) cancel->throwIfCancelled();

    GptqProblem problem = prepareGptqProblem(W, H, options);
    const at::Tensor Hinv = inverseHessianFactor(problem.H);
    problem.H = at::Tensor();
    GptqCodes codes = quantizeColumns(problem.W, Hinv, gs, double((1 << bits) - 1), options.blockSize, cancel);

    auto groupIndex = at::div(at::arange(dIn, at::kLong), gs, "floor");  // processing order
    if (problem.perm.defined()) {
        auto inverse = at::argsort(problem.perm);
        codes.Q = codes.Q.index_select(1, inverse);
        groupIndex = groupIndex.index_select(0, inverse);
    }
    IntQuantized out;
    out.qweight = codes.Q.to(at::kByte).contiguous();
    out.scales = codes.scales;
    out.zeros = codes.zeros;
    out.groupIndex = groupIndex.to(at::kInt).contiguous();
    out.bits = bits;
    out.groupSize = int(gs);
    return out;
}

}  // namespace aqlm
