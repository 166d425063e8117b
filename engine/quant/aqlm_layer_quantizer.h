#pragma once
// AQLM for one linear layer (design/AQLM.md section 3): residual k-means initialisation, then alternate
// Adam on codebooks/scales and a code-search pass (greedy or beam search), against tr((W - Ŵ) H (W - Ŵ)^T).
#include "engine/api/cancel_token.h"
#include "engine/api/quant_types.h"

#include <ATen/ATen.h>

#include <functional>
#include <vector>

namespace aqlm {

class ProcessGroup;
class RowShards;

struct AqlmLayerResult {
    at::Tensor codes;      // [dOut, dIn/g, M] int32 in [0, 2^B)
    at::Tensor codebooks;  // [M, 2^B, 1, g] fp32
    at::Tensor scales;     // [dOut, 1, 1, 1] fp32
    double objective = 0;  // tr((W - Ŵ) H (W - Ŵ)^T) of the returned parameters
    double relError = 0;   // objective / tr(W H W^T)
    int epochs = 0;        // alternation epochs run (0 = initialisation only)
    // relErrorPerEpoch[0] is after initialisation, [e] after epoch e (size epochs + 1).
    std::vector<double> relErrorPerEpoch;
};

// W [dOut, dIn] (any float type, computed in fp32); H = X X^T / N [dIn, dIn] (fp32 or fp64).
// onEpoch(epoch, objective, relError) is called after initialisation (epoch 0) and after each epoch.
// Throws EngineError on bad shapes / non-finite inputs (before any work), Cancelled when `cancel` is set.
// Deterministic for a given options.seed (and thread count).
// Code search, once per epoch; the (group, codebook) slots are shuffled with the same seeded rng for every
// beam size:
//  - options.beamSize <= 1 (greedy): visit the slots in that order; per slot every row takes the best of
//    the 2^B codes for that codebook if it lowers the objective.
//  - options.beamSize = K > 1 (beam search): visit the input groups in the order of their first shuffled
//    slot. Per group and row, start from the current code tuple; for each codebook (in the order of the
//    group's shuffled slots) replace its code in every hypothesis by each of the 2^B candidates, score the
//    exact objective change and keep the K best distinct tuples. The best final tuple replaces the row's
//    codes if it lowers the objective. Cost ~K times the greedy pass; only [rows, K, 2^B] fp32 scores are
//    held at once (rows chunked to 64 MiB), so every B up to 16 is searched without a greedy fallback.
//    Cancel is checked per group and per row chunk.
// Each epoch keeps the best codebooks/scales seen during its Adam steps and the code pass only accepts
// improving replacements, so the objective never increases from one epoch to the next.
// rowGroup (optional): every rank of it calls this with the same arguments; each computes its share of
// the rows (RowShards) and all return the same result, bit-identical to one process's.
AqlmLayerResult quantizeAqlmLayer(const at::Tensor& W, const at::Tensor& H, const QuantScheme& scheme,
                                  const AqlmLayerOptions& options,
                                  const std::function<void(int, double, double)>& onEpoch = {},
                                  const CancelToken* cancel = nullptr, ProcessGroup* rowGroup = nullptr);

// tr((W - Wq) H (W - Wq)^T) accumulated in fp64. Use quantizationObjective(W, zeros, H) for tr(W H W^T).
double quantizationObjective(const at::Tensor& W, const at::Tensor& Wq, const at::Tensor& H);

namespace detail {

// Exact change of the objective, per row i and candidate c, when codes[i, group, codebook] is replaced
// by c (everything else fixed): [dOut, 2^B] fp32. residualH = (W - Ŵ) H [dOut, dIn] for the current
// Ŵ = aqlmDecode(codes, codebooks, scales). Uses the same formula as the code-search pass:
//   delta = -2 s <c - c_old, r~> + s^2 (c^T H_jj c - c_old^T H_jj c_old),  r~ = r_j + s H_jj c_old
// where r_j = residualH[:, group columns]. (The "+ s H_jj c_old" term turns the residual of the full Ŵ
// into the residual with this slot's codeword removed; without it the formula misses the cross term.)
at::Tensor codeUpdateDeltas(const at::Tensor& residualH, const at::Tensor& H, const at::Tensor& codes,
                            const at::Tensor& codebooks, const at::Tensor& scales, int64_t group,
                            int64_t codebook);

// Residual k-means / k-means on `points` [n, g] fp32 with k centroids: returns {centroids [k, g],
// assignment [n] int64}. k-means++ seeding for k <= 1024 (random points otherwise); fewer points than
// centroids: every point becomes a centroid, the rest are random points plus small noise.
// With `rows` (points = rows.rows() * pointsPerRow, row-major), each rank assigns the points of its own
// rows and the assignment is gathered: the same result on every rank.
std::pair<at::Tensor, at::Tensor> kmeans(const at::Tensor& points, int64_t k, int iterations,
                                         int64_t maxPoints, uint64_t seed,
                                         const CancelToken* cancel = nullptr, const RowShards* rows = nullptr,
                                         int64_t pointsPerRow = 1);

}  // namespace detail
}  // namespace aqlm
