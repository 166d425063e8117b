#pragma once
// Group-wise integer baselines for AQLM comparisons: round-to-nearest (RTN) and GPTQ
// (Frantar et al. 2022, "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained
// Transformers"). Both produce an IntQuantized that intDecode() turns back into a dense matrix.
//
// Grid (shared by both): per row and group, xmin = min(min(w), 0), xmax = max(max(w), 0)
// (the range always contains 0 so the zero point never clamps; an all-zero group uses [-1, 1]),
// scale = (xmax - xmin) / (2^bits - 1), zero = clamp(round(-xmin / scale), 0, 2^bits - 1),
// q = clamp(round(w / scale) + zero, 0, 2^bits - 1). RTN therefore errs by at most scale / 2.
#include "engine/api/cancel_token.h"
#include "engine/layers/int_linear.h"

#include <ATen/ATen.h>

namespace aqlm {

struct GptqOptions {
    int bits = 4;
    int groupSize = 128;      // <= 0 or >= dIn: one group per row
    double dampening = 0.01;  // fraction of mean(diag(H)) added to the diagonal
    bool actOrder = false;    // process columns by descending diag(H); groups follow that order
    int blockSize = 128;      // columns per lazy batch update
};

// W: [dOut, dIn] float. Groups are groupSize consecutive input columns (groupIndex[j] = j / groupSize).
// Throws EngineError for bits outside [2, 8] or a groupSize in (0, dIn) that does not divide dIn.
IntQuantized quantizeRtn(const at::Tensor& W, int bits, int groupSize);

// W: [dOut, dIn] float; H: [dIn, dIn] fp32 or fp64 proxy Hessian (X X^T / N of the layer inputs).
// Minimises tr((W - Ŵ) H (W - Ŵ)^T) column by column with error feedback through the upper
// Cholesky factor of H^-1. Group statistics come from the error-updated weights at the moment the
// group's first column is reached. With actOrder, groups are formed in the permuted order and
// groupIndex maps each original column to its group; qweight stays in the original column order.
// Polls `cancel` between blocks (throws Cancelled). Throws EngineError for bad shapes/options or
// an H that stays non positive definite after dampening.
IntQuantized quantizeGptq(const at::Tensor& W, const at::Tensor& H, const GptqOptions& options,
                          const CancelToken* cancel = nullptr);

}  // namespace aqlm
