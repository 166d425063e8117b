#pragma once
// PV-Tuning's code update (design/AQLM.md section 5, step 5): for target g-vectors (already divided
// by their row's scale), the codes whose decoded vector sum_m codebooks[m, c_m] is nearest in
// plain L2, by beam search over the codebooks. A different objective from the layer quantizer's
// code search (no Hessian), hence its own small search.
#include <ATen/ATen.h>

namespace aqlm {

// targets [N, g] fp32; codebooks [M, K, 1, g] fp32; initial [N, M] integer codes in [0, K).
// Starts from the initial codes and visits codebook 0..M-1 (twice when M > 1): every hypothesis
// tries all K codewords for that codebook and the beamSize best (hypothesis, codeword) pairs stay.
// Returns [N, M] int64. Never worse than the initial codes; exact for M = 1, and for M = 2 when
// beamSize >= K. Works in chunks of rows so that the candidate distances stay small.
at::Tensor reencodeNearest(const at::Tensor& targets, const at::Tensor& codebooks, const at::Tensor& initial,
                           int beamSize);

}  // namespace aqlm
