#pragma once
// Exact codebook and scale updates for one AQLM layer while its codes are fixed (design/AQLM.md
// section 3). With codes fixed the objective tr((W - Ŵ) H (W - Ŵ)^T) is quadratic in each of
//  - the scales (per row, given the codebooks): s_i = <W_i, V_i>_H / <V_i, V_i>_H, solved in closed form;
//  - the codebooks (given the scales): the normal equations V^T(V(C) H) = V^T(W H), solved by conjugate
//    gradients preconditioned with their g x g diagonal blocks (one per codeword).
// Both steps only lower the objective, and each costs one d_out x d_in x d_in product per iteration
// where the reference needs two per Adam step and 100 steps per epoch.
#include "engine/api/cancel_token.h"
#include "engine/quant/aqlm_layer_math.h"
#include "engine/quant/row_shards.h"

namespace aqlm {

// What stays fixed while one layer is quantized. The per-row tensors (W, WH, rowEnergy, and the
// state's scales and codes) hold this rank's rows only (all rows in one process); sums over rows go
// through `rows`.
struct LayerProblem {
    RowShards rows{0, nullptr};
    at::Tensor W;          // [ownRows, dIn] fp32
    at::Tensor Hn;         // [dIn, dIn] fp32, H / mean(diag H)
    at::Tensor WH;         // W Hn
    at::Tensor rowEnergy;  // [ownRows] fp64, diag(W Hn W^T)
    at::Tensor hBlocks;    // [J, g, g] diagonal blocks of Hn
};

// W: this rank's rows of the layer (all of them when rows is null: one process).
LayerProblem makeLayerProblem(const at::Tensor& W, const at::Tensor& Hn, int64_t g, const RowShards* rows = nullptr);

// scatterToCodebooks over every rank's rows (X, s, codes: this rank's rows), summed shard by shard.
at::Tensor scatterToCodebooksByShard(const RowShards& rows, const at::Tensor& X, const at::Tensor& s,
                                     const at::Tensor& codes, int64_t K);

// Optimal scales for the current codes and codebooks; recomputes ev.R and ev.objective exactly
// (ev.V must be current). Rows whose decoded vector has no energy keep their scale.
void fitScalesExactly(const LayerProblem& p, aqlm_math::LayerState& st, aqlm_math::Evaluation& ev);

// At most maxIterations preconditioned CG steps on the codebooks (ev.R and ev.objective current on
// entry, kept current; ev.V recomputed on exit). Stops early when one step lowers the objective by less
// than `tolerance` times its value. Returns the steps taken.
int fitCodebooksExactly(const LayerProblem& p, aqlm_math::LayerState& st, aqlm_math::Evaluation& ev,
                        int maxIterations, double tolerance, const CancelToken* cancel);

}  // namespace aqlm
