#include "engine/quant/aqlm_layer_math.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <limits>

namespace aqlm::aqlm_math {
namespace {

// Splits [0, K) into contiguous code ranges, one per worker: each worker scans every (i, j) but only
// writes the codewords it owns, so accumulation needs neither atomics nor per-thread copies.
template <typename F>
void forEachCodeRange(int64_t K, const F& body) {
    const int64_t workers = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), K));
    at::parallel_for(0, workers, 1, [&](int64_t w0, int64_t w1) {
        for (int64_t w = w0; w < w1; ++w) body(K * w / workers, K * (w + 1) / workers);
    });
}

constexpr int64_t kScoreTile = 32;
constexpr int64_t kPointBlock = 4;

// kPointBlock points against every candidate, kScoreTile candidates at a time: each candidate tile is
// loaded once for the block, per-lane minima keep the loops branch-free (vectorised over candidates),
// reduced once at the end (first index on ties). Candidates beyond the last full tile: scalar.
__attribute__((target_clones("avx2", "default")))
void nearestBlock(const float* p, int64_t points, int64_t g, const float* ct, const float* bias, int64_t K,
                  float* value, int64_t* index) {
    float laneBest[kPointBlock][kScoreTile];
    int32_t laneAt[kPointBlock][kScoreTile];
    float acc[kPointBlock][kScoreTile];
    float scaled[kPointBlock][kNearestMaxGroup];
    for (int64_t q = 0; q < kPointBlock; ++q) {
        for (int64_t d = 0; d < g; ++d) scaled[q][d] = q < points ? -2.0f * p[q * g + d] : 0.0f;
        for (int64_t t = 0; t < kScoreTile; ++t) {
            laneBest[q][t] = std::numeric_limits<float>::infinity();
            laneAt[q][t] = int32_t(t);
        }
    }
    const int64_t full = K - K % kScoreTile;
    for (int64_t k0 = 0; k0 < full; k0 += kScoreTile) {
        for (int64_t q = 0; q < kPointBlock; ++q)
            for (int64_t t = 0; t < kScoreTile; ++t) acc[q][t] = bias[k0 + t];
        for (int64_t d = 0; d < g; ++d) {
            const float* row = ct + d * K + k0;
            for (int64_t q = 0; q < kPointBlock; ++q) {
                const float pd = scaled[q][d];
                for (int64_t t = 0; t < kScoreTile; ++t) acc[q][t] += pd * row[t];
            }
        }
        for (int64_t q = 0; q < kPointBlock; ++q)
            for (int64_t t = 0; t < kScoreTile; ++t) {
                const bool better = acc[q][t] < laneBest[q][t];
                laneBest[q][t] = better ? acc[q][t] : laneBest[q][t];
                laneAt[q][t] = better ? int32_t(k0 + t) : laneAt[q][t];
            }
    }
    for (int64_t q = 0; q < points; ++q) {
        float best = std::numeric_limits<float>::infinity();
        int64_t bestAt = 0;
        for (int64_t t = 0; t < kScoreTile; ++t)
            if (laneBest[q][t] < best || (laneBest[q][t] == best && laneAt[q][t] < bestAt)) {
                best = laneBest[q][t];
                bestAt = laneAt[q][t];
            }
        for (int64_t k = full; k < K; ++k) {
            float a = bias[k];
            for (int64_t d = 0; d < g; ++d) a += -2.0f * p[q * g + d] * ct[d * K + k];
            if (a < best) {
                best = a;
                bestAt = k;
            }
        }
        value[q] = best;
        index[q] = best < std::numeric_limits<float>::infinity() ? bestAt : 0;
    }
}

__attribute__((target_clones("avx2", "default")))
void lowerDistancesRange(const float* pT, int64_t g, int64_t n, int64_t t0, int64_t t1, const float* c, float* d2) {
    constexpr int64_t kTile = 256;
    float dist[kTile];
    for (int64_t a = t0; a < t1; a += kTile) {
        const int64_t len = std::min(kTile, t1 - a);
        for (int64_t t = 0; t < len; ++t) dist[t] = 0;
        for (int64_t e = 0; e < g; ++e) {
            const float ce = c[e];
            const float* row = pT + e * n + a;
            for (int64_t t = 0; t < len; ++t) {
                const float diff = row[t] - ce;
                dist[t] += diff * diff;
            }
        }
        for (int64_t t = 0; t < len; ++t) d2[a + t] = std::min(d2[a + t], dist[t]);
    }
}

}  // namespace

void lowerSquaredDistances(const float* pointsT, int64_t g, int64_t n, const float* c, float* d2) {
    at::parallel_for(0, n, 8192, [&](int64_t t0, int64_t t1) { lowerDistancesRange(pointsT, g, n, t0, t1, c, d2); });
}

void nearestByScore(const at::Tensor& points, const at::Tensor& candidatesT, const at::Tensor& bias,
                    at::Tensor& bestValue, at::Tensor& bestIndex) {
    auto P = points.contiguous(), CT = candidatesT.contiguous(), b = bias.contiguous();
    const int64_t n = P.size(0), g = P.size(1), K = CT.size(1);
    const float* p = P.data_ptr<float>();
    const float* ct = CT.data_ptr<float>();
    const float* bp = b.data_ptr<float>();
    float* value = bestValue.data_ptr<float>();
    int64_t* index = bestIndex.data_ptr<int64_t>();
    const int64_t blocks = (n + kPointBlock - 1) / kPointBlock;
    const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 16) / std::max<int64_t>(1, K * g * kPointBlock));
    at::parallel_for(0, blocks, grain, [&](int64_t begin, int64_t end) {
        for (int64_t b = begin; b < end; ++b) {
            const int64_t i = b * kPointBlock;
            nearestBlock(p + i * g, std::min(kPointBlock, n - i), g, ct, bp, K, value + i, index + i);
        }
    });
}

std::pair<at::Tensor, at::Tensor> decodeGroups(const at::Tensor& C, const at::Tensor& codes, const at::Tensor* W,
                                               const at::Tensor* s) {
    const int64_t dOut = codes.size(0), J = codes.size(1), M = codes.size(2), K = C.size(1), g = C.size(2);
    if (!C.device().is_cpu()) {
        auto flat = (codes + at::arange(M, codes.options()) * K).reshape({-1});
        auto V = C.reshape({M * K, g}).index_select(0, flat).view({dOut, J, M, g}).sum(2);
        at::Tensor E;
        if (W) E = *W - (V * s->view({dOut, 1, 1})).view({dOut, J * g});
        return {V, E};
    }
    auto Cc = C.contiguous();
    auto cc = codes.contiguous();
    auto V = at::empty({dOut, J, g}, Cc.options());
    at::Tensor E, Wc, sc;
    if (W) {
        E = at::empty({dOut, J * g}, Cc.options());
        Wc = W->contiguous();
        sc = s->contiguous();
    }
    const float* cb = Cc.data_ptr<float>();
    const int64_t* cd = cc.data_ptr<int64_t>();
    float* out = V.data_ptr<float>();
    float* err = W ? E.data_ptr<float>() : nullptr;
    const float* w = W ? Wc.data_ptr<float>() : nullptr;
    const float* sp = W ? sc.data_ptr<float>() : nullptr;
    at::parallel_for(0, dOut, std::max<int64_t>(1, 4096 / std::max<int64_t>(1, J)), [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            for (int64_t j = 0; j < J; ++j) {
                const int64_t n = i * J + j;
                float* o = out + n * g;
                const float* c0 = cb + cd[n * M] * g;
                for (int64_t d = 0; d < g; ++d) o[d] = c0[d];
                for (int64_t m = 1; m < M; ++m) {
                    const float* c = cb + (m * K + cd[n * M + m]) * g;
                    for (int64_t d = 0; d < g; ++d) o[d] += c[d];
                }
                if (err) {
                    const float si = sp[i];
                    for (int64_t d = 0; d < g; ++d) err[n * g + d] = w[n * g + d] - si * o[d];
                }
            }
        }
    });
    return {V, E};
}

at::Tensor scatterToCodebooks(const at::Tensor& X, const at::Tensor& s, const at::Tensor& codes, int64_t K) {
    const int64_t dOut = codes.size(0), J = codes.size(1), M = codes.size(2), g = X.size(1) / J;
    auto out = at::zeros({M, K, g}, X.options());
    if (!X.device().is_cpu()) {
        auto rows = (X.view({dOut, J, g}) * s.view({dOut, 1, 1})).reshape({dOut * J, g});
        for (int64_t m = 0; m < M; ++m) out[m].index_add_(0, codes.select(2, m).reshape({-1}), rows);
        return out;
    }
    auto Xc = X.contiguous(), sc = s.contiguous(), cc = codes.contiguous();
    const float* x = Xc.data_ptr<float>();
    const float* sp = sc.data_ptr<float>();
    const int64_t* cd = cc.data_ptr<int64_t>();
    float* o = out.data_ptr<float>();
    forEachCodeRange(K, [&](int64_t k0, int64_t k1) {
        for (int64_t i = 0; i < dOut; ++i) {
            const float si = sp[i];
            for (int64_t j = 0; j < J; ++j) {
                const int64_t n = i * J + j;
                const float* xr = x + n * g;
                for (int64_t m = 0; m < M; ++m) {
                    const int64_t k = cd[n * M + m];
                    if (k < k0 || k >= k1) continue;
                    float* dst = o + (m * K + k) * g;
                    for (int64_t d = 0; d < g; ++d) dst[d] += si * xr[d];
                }
            }
        }
    });
    return out;
}

at::Tensor codebookCurvature(const at::Tensor& hBlocks, const at::Tensor& s, const at::Tensor& codes, int64_t K) {
    const int64_t dOut = codes.size(0), J = codes.size(1), M = codes.size(2), g = hBlocks.size(1);
    auto out = at::zeros({M, K, g, g}, hBlocks.options());
    if (!hBlocks.device().is_cpu()) {
        // Weighted counts per (codeword, group), then one product with the blocks; chunked over groups.
        const int64_t chunk = std::max<int64_t>(1, (int64_t(1) << 26) / std::max<int64_t>(1, K));
        for (int64_t m = 0; m < M; ++m)
            for (int64_t j0 = 0; j0 < J; j0 += chunk) {
                const int64_t j1 = std::min(J, j0 + chunk), n = j1 - j0;
                auto idx = codes.select(2, m).narrow(1, j0, n) * n + at::arange(n, codes.options());
                auto counts = at::zeros({K * n}, hBlocks.options());
                counts.index_add_(0, idx.reshape({-1}), (s * s).view({dOut, 1}).expand({dOut, n}).reshape({-1}));
                out[m] += at::mm(counts.view({K, n}), hBlocks.narrow(0, j0, n).reshape({n, g * g})).view({K, g, g});
            }
        return out;
    }
    auto hc = hBlocks.contiguous(), sc = s.contiguous(), cc = codes.contiguous();
    const float* h = hc.data_ptr<float>();
    const float* sp = sc.data_ptr<float>();
    const int64_t* cd = cc.data_ptr<int64_t>();
    float* o = out.data_ptr<float>();
    const int64_t gg = g * g;
    forEachCodeRange(K, [&](int64_t k0, int64_t k1) {
        for (int64_t i = 0; i < dOut; ++i) {
            const float s2 = sp[i] * sp[i];
            for (int64_t j = 0; j < J; ++j) {
                const int64_t n = i * J + j;
                const float* hb = h + j * gg;
                for (int64_t m = 0; m < M; ++m) {
                    const int64_t k = cd[n * M + m];
                    if (k < k0 || k >= k1) continue;
                    float* dst = o + (m * K + k) * gg;
                    for (int64_t e = 0; e < gg; ++e) dst[e] += s2 * hb[e];
                }
            }
        }
    });
    return out;
}

double dotDouble(const at::Tensor& a, const at::Tensor& b) {
    if (!a.device().is_cpu()) return (a.to(at::kDouble) * b.to(at::kDouble)).sum().item<double>();
    auto ac = a.contiguous(), bc = b.contiguous();
    const float* x = ac.data_ptr<float>();
    const float* y = bc.data_ptr<float>();
    return at::parallel_reduce(
        int64_t(0), ac.numel(), int64_t(16384), 0.0,
        [&](int64_t begin, int64_t end, double acc) {
            for (int64_t i = begin; i < end; ++i) acc += double(x[i]) * double(y[i]);
            return acc;
        },
        [](double u, double v) { return u + v; });
}

namespace {

template <typename T>
void rowDots(const T* x, const T* y, int64_t rows, int64_t width, double* out) {
    at::parallel_for(0, rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(1, width)), [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) {
            double acc = 0;
            for (int64_t i = r * width; i < (r + 1) * width; ++i) acc += double(x[i]) * double(y[i]);
            out[r] = acc;
        }
    });
}

}  // namespace

at::Tensor rowDotsDouble(const at::Tensor& a, const at::Tensor& b) {
    const int64_t rows = a.size(0);
    if (!a.device().is_cpu())
        return (a.to(at::kDouble) * b.to(at::kDouble)).reshape({rows, -1}).sum(1);
    const auto type = a.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
    auto ac = a.to(type).contiguous(), bc = b.to(type).contiguous();
    const int64_t width = rows > 0 ? ac.numel() / rows : 0;
    auto out = at::empty({rows}, a.options().dtype(at::kDouble));
    if (type == at::kDouble)
        rowDots(ac.data_ptr<double>(), bc.data_ptr<double>(), rows, width, out.data_ptr<double>());
    else
        rowDots(ac.data_ptr<float>(), bc.data_ptr<float>(), rows, width, out.data_ptr<double>());
    return out;
}

at::Tensor safeScales(const at::Tensor& s) {
    return at::where(s.abs() < 1e-30, at::ones_like(s), s);
}

}  // namespace aqlm::aqlm_math
