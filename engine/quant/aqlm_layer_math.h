#pragma once
// The linear maps of one AQLM layer (design/AQLM.md section 3), shared by the layer quantizer's
// codebook updates (Adam and the exact solver): W [dOut, dIn], J = dIn / g groups, M codebooks of K
// codewords. With codes fixed, Ŵ = diag(s) V(C) is linear in the codebooks C:
//   V(C)[i, j, :] = sum_m C[m, codes[i, j, m], :]                       (decodeGroups)
//   V^T(X)[m, k, :] = sum over (i, j) with codes[i, j, m] = k of s_i X[i, j-group]   (scatterToCodebooks)
// so the gradient of tr((W - Ŵ) H (W - Ŵ)^T) in C is -2 V^T((W - Ŵ) H).
// CPU tensors use parallel loops over contiguous fp32 data; other devices use ATen gathers/index_add.
#include <ATen/ATen.h>

#include <utility>

namespace aqlm::aqlm_math {

// The layer's parameters while it is being learned.
struct LayerState {
    at::Tensor C;      // [M, K, g] codebooks, fp32
    at::Tensor s;      // [dOut] scales, fp32
    at::Tensor codes;  // [dOut, J, M] int64
};

// The decoded layer and its residual against H, kept current by every update.
struct Evaluation {
    at::Tensor V;          // [dOut, J, g] unscaled decoded groups
    at::Tensor R;          // [dOut, dIn] = (W - Ŵ) Hn
    double objective = 0;  // tr((W - Ŵ) Hn (W - Ŵ)^T) with the normalised Hn
};

// V [dOut, J, g] for codes [dOut, J, M] and C [M, K, g]. With W and s given, also E = W - diag(s) V
// ([dOut, J * g]) in the same pass (second element undefined otherwise).
std::pair<at::Tensor, at::Tensor> decodeGroups(const at::Tensor& C, const at::Tensor& codes,
                                               const at::Tensor* W = nullptr, const at::Tensor* s = nullptr);

// [M, K, g]: out[m, codes[i, j, m], :] += s_i X[i, j*g:(j+1)*g] for X [dOut, J * g].
at::Tensor scatterToCodebooks(const at::Tensor& X, const at::Tensor& s, const at::Tensor& codes, int64_t K);

// [M, K, g, g]: sum over (i, j) with codes[i, j, m] = k of s_i^2 H_jj, the diagonal blocks of the normal
// equations' matrix (hBlocks [J, g, g] are H's diagonal g x g blocks).
at::Tensor codebookCurvature(const at::Tensor& hBlocks, const at::Tensor& s, const at::Tensor& codes, int64_t K);

// Widest group nearestByScore handles (its per-point registers); wider groups take the generic product.
constexpr int64_t kNearestMaxGroup = 16;
// For each row p of points [n, g] (CPU fp32, g <= kNearestMaxGroup): min over candidates c of bias[c] - 2 <p, c>, and its argmin
// (the first on ties). candidatesT is [g, K] contiguous. Never materialises the [n, K] scores: the
// k-means and code-search hot loop.
void nearestByScore(const at::Tensor& points, const at::Tensor& candidatesT, const at::Tensor& bias,
                    at::Tensor& bestValue, at::Tensor& bestIndex);

// d2[t] = min(d2[t], |p_t - c|^2) for the n points stored transposed, pointsT [g, n] (k-means++ seeding).
void lowerSquaredDistances(const float* pointsT, int64_t g, int64_t n, const float* c, float* d2);

// sum a * b accumulated in fp64 (exact enough for objectives of 10^8 terms).
double dotDouble(const at::Tensor& a, const at::Tensor& b);

// [rows] fp64: per row of a and b (same shape, rows along dim 0; fp32, or fp64 when a is), sum a * b
// accumulated in fp64 in element order, whatever the number of rows and threads (row objectives, scales).
at::Tensor rowDotsDouble(const at::Tensor& a, const at::Tensor& b);

// Scales with zeros replaced by 1, for divisions.
at::Tensor safeScales(const at::Tensor& s);

}  // namespace aqlm::aqlm_math
