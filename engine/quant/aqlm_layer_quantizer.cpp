// AQLM for one linear layer (design/AQLM.md section 3).
//
// Notation: W [dOut, dIn], J = dIn / g groups, M codebooks of K = 2^B codewords.
// Ŵ = diag(s) V with V[i, j-group] = sum_m C_m[codes[i, j, m]]; E = W - Ŵ; R = E H.
// Objective f = tr(E H E^T); df/dŴ = -2 R.
//
// Internally H is normalised by its mean diagonal (Adam and all scores are invariant to that up to eps),
// objectives are scaled back before they are reported. Matmuls run in fp32, objectives are summed in fp64.
#include "engine/quant/aqlm_layer_quantizer.h"
#include "engine/quant/adam.h"
#include "engine/quant/aqlm_layer_math.h"
#include "engine/quant/codebook_solver.h"
#include "engine/quant/row_shards.h"

#include "engine/api/engine_error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>

namespace aqlm {
namespace {

using aqlm_math::Evaluation;
using aqlm_math::LayerState;
using aqlm_math::safeScales;

constexpr int64_t kScoreChunkElements = int64_t(1) << 18;  // 1 MiB of fp32 scores per chunk (cache)
constexpr int64_t kCentroidChunk = 4096;
constexpr int64_t kKmeansPlusPlusMax = 1024;                 // above: random seeding
constexpr double kLloydBudgetMacs = 2e10;                    // cap on k-means work per codebook
constexpr double kLloydTolerance = 1e-4;                     // relative inertia improvement to go on
constexpr double kSolverTolerance = 1e-4;  // CG stops when a step gains less than this fraction of the objective

void checkCancel(const CancelToken* cancel) {
    if (cancel) cancel->throwIfCancelled();
}

std::string shapeString(const at::Tensor& t) {
    std::string s = "[";
    for (int64_t d = 0; d < t.dim(); ++d) s += (d ? ", " : "") + std::to_string(t.size(d));
    return s + "]";
}

// For each row p of `points` [n, g]: min over candidates c of bias[c] - 2 <p, c>, and its argmin.
// Chunked over points and candidates so that at most kScoreChunkElements scores exist at once.
std::pair<at::Tensor, at::Tensor> argminScores(const at::Tensor& points, const at::Tensor& cands,
                                               const at::Tensor& bias, const CancelToken* cancel) {
    const int64_t n = points.size(0), k = cands.size(0);
    if (points.device().is_cpu() && points.scalar_type() == at::kFloat && points.size(1) <= aqlm_math::kNearestMaxGroup) {
        auto bestValue = at::empty({n}, points.options());
        auto bestIndex = at::empty({n}, points.options().dtype(at::kLong));
        checkCancel(cancel);
        aqlm_math::nearestByScore(points, cands.t().contiguous(), bias, bestValue, bestIndex);
        return {bestValue, bestIndex};
    }
    const int64_t kc = std::min(k, kCentroidChunk);
    const int64_t pc = std::max<int64_t>(1, std::min(n, kScoreChunkElements / kc));
    auto bestValue = at::empty({n}, points.options());
    auto bestIndex = at::empty({n}, points.options().dtype(at::kLong));
    auto candsT = cands.t();
    for (int64_t p0 = 0; p0 < n; p0 += pc) {
        checkCancel(cancel);
        const int64_t p1 = std::min(n, p0 + pc);
        auto P = points.slice(0, p0, p1);
        at::Tensor value, index;
        for (int64_t k0 = 0; k0 < k; k0 += kc) {
            const int64_t k1 = std::min(k, k0 + kc);
            auto S = at::addmm(bias.slice(0, k0, k1).unsqueeze(0), P, candsT.slice(1, k0, k1), 1, -2);
            auto mn = S.min(1);
            auto v = std::get<0>(mn);
            auto i = std::get<1>(mn);
            if (k0 == 0) {
                value = v;
                index = i;
            } else {
                auto better = v < value;
                value = at::where(better, v, value);
                index = at::where(better, i + k0, index);
            }
        }
        bestValue.slice(0, p0, p1).copy_(value);
        bestIndex.slice(0, p0, p1).copy_(index);
    }
    return {bestValue, bestIndex};
}

// k-means++ seeding (D^2 sampling) on sample [n, g] contiguous fp32; the picks are sequential, the
// distance updates vectorised over points (aqlm_math::lowerSquaredDistances).
at::Tensor kmeansPlusPlus(const at::Tensor& sample, int64_t k, uint64_t seed, const CancelToken* cancel) {
    const int64_t n = sample.size(0), g = sample.size(1);
    std::mt19937_64 rng(seed);
    auto uniform = [&rng]() { return double(rng() >> 11) * (1.0 / 9007199254740992.0); };
    auto centroids = at::empty({k, g}, sample.options());
    const auto sampleT = sample.t().contiguous();
    const float* p = sample.data_ptr<float>();
    float* c = centroids.data_ptr<float>();
    std::vector<float> d2(size_t(n), std::numeric_limits<float>::infinity());
    int64_t pick = int64_t(rng() % uint64_t(n));
    for (int64_t i = 0; i < k; ++i) {
        if ((i & 63) == 0) checkCancel(cancel);
        if (i > 0) {
            double total = 0;
            for (float v : d2) total += v;
            if (total > 0) {
                const double target = uniform() * total;
                double acc = 0;
                pick = n - 1;
                for (int64_t t = 0; t < n; ++t) {
                    acc += d2[size_t(t)];
                    if (acc > target && d2[size_t(t)] > 0) {
                        pick = t;
                        break;
                    }
                }
            } else {  // every point already coincides with a centroid: duplicates are harmless
                pick = int64_t(rng() % uint64_t(n));
            }
        }
        const float* chosen = p + pick * g;
        std::copy(chosen, chosen + g, c + i * g);
        aqlm_math::lowerSquaredDistances(sampleT.data_ptr<float>(), g, n, chosen, d2.data());
    }
    return centroids;
}

// Everything the code search needs for one (group, codebook) slot, shared with codeUpdateDeltas:
// score(c) = q(c) - 2 <c, t_i>, delta_i(c) = s_i^2 (score(c) - score(c_old_i)).
struct SlotTerms {
    at::Tensor q;         // [K]   c^T H_jj c
    at::Tensor t;         // [dOut, g]  (r_j + s H_jj c_old) / s
    at::Tensor oldCodes;  // [dOut] int64
    at::Tensor oldVec;    // [dOut, g]
    at::Tensor oldScore;  // [dOut]
};

SlotTerms slotTerms(const at::Tensor& R, const at::Tensor& Hjj, const at::Tensor& codes, const at::Tensor& Cm,
                    const at::Tensor& s, const at::Tensor& sSafe, int64_t j, int64_t m, int64_t g) {
    SlotTerms st;
    st.q = (at::mm(Cm, Hjj) * Cm).sum(1);
    st.oldCodes = codes.select(2, m).select(1, j).contiguous();
    st.oldVec = Cm.index_select(0, st.oldCodes);
    auto Rj = R.slice(1, j * g, (j + 1) * g);
    st.t = (Rj + s.unsqueeze(1) * at::mm(st.oldVec, Hjj)) / sSafe.unsqueeze(1);
    st.oldScore = st.q.index_select(0, st.oldCodes) - 2 * (st.t * st.oldVec).sum(1);
    return st;
}

// Gradients of f through Ŵ = diag(s) V with df/dŴ = -2 R: gS[i] = <-2 R_i, V_i>,
// gC[m, codes[i, j, m], :] += -2 s_i R[i, j-group]. Returns {gC [M, K, g], gS [dOut]}.
// (R, V, s, codes: this rank's rows; gC summed over every rank's.)
std::pair<at::Tensor, at::Tensor> parameterGrad(const RowShards& rows, const at::Tensor& R, const at::Tensor& V,
                                                const at::Tensor& s, const at::Tensor& codes, int64_t K) {
    auto gC = scatterToCodebooksByShard(rows, R, s, codes, K).mul_(-2.0);
    auto gS = aqlm_math::rowDotsDouble(R, V).to(at::kFloat).mul_(-2.0);
    return {gC, gS};
}

// tr(E Hn E^T) summed row by row over every rank's rows, E = W - Ŵ given for this rank's rows.
double rowObjective(const RowShards& rows, const at::Tensor& E, const at::Tensor& R) {
    return rows.sumOverRows(aqlm_math::rowDotsDouble(E, R));
}

Evaluation evaluate(const LayerProblem& p, const at::Tensor& C, const at::Tensor& s, const at::Tensor& codes) {
    Evaluation ev;
    auto VE = aqlm_math::decodeGroups(C, codes, &p.W, &s);
    ev.V = VE.first;
    ev.R = at::mm(VE.second, p.Hn);
    ev.objective = rowObjective(p.rows, VE.second, ev.R);
    return ev;
}

// Beam search over the M codes of one input group j for all rows (options.beamSize > 1; see the header).
// Per row, hypotheses are code tuples for group j with D = V_h - V_old (their change of the group's
// unscaled vector). Replacing codebook m's code of hypothesis h by c gives D' = A + C_m[c] with
// A = D - C_m[code_h[m]], and the exact objective change (R = (W - Ŵ) Hn includes the current codes,
// t = R_j / s, everything divided by s^2 exactly like the greedy scores, which keeps each row's ranking):
//   delta / s^2 = <A, H_jj A - 2 t> + 2 <c, H_jj A - t> + c^T H_jj c.
// Only the [rows, beam, 2^B] scores are materialised (rows chunked to kBeamChunkElements), never a
// [rows, beam, 2^B, g] tensor. The search starts from the single current tuple and every codebook is
// visited once, so hypotheses always differ in an already visited codebook and the top-`beam` (hypothesis,
// candidate) pairs are distinct tuples without deduplication. The best final hypothesis replaces the row's
// codes only if its delta < 0; then V's group block and R are updated incrementally as in the greedy pass.
constexpr int64_t kBeamChunkElements = int64_t(1) << 24;  // 64 MiB of fp32 scores per row chunk

void beamSearchGroup(Evaluation& ev, at::Tensor& codes, const at::Tensor& C, const at::Tensor& s,
                     const at::Tensor& sSafe, const at::Tensor& Hjj, const at::Tensor& Hrows,
                     const std::vector<int64_t>& order, int64_t j, int64_t g, int64_t beam,
                     const CancelToken* cancel) {
    const int64_t dOut = codes.size(0), M = codes.size(2), K = C.size(1);
    std::vector<at::Tensor> q(static_cast<size_t>(M));
    for (int64_t m : order) q[size_t(m)] = (at::mm(C[m], Hjj) * C[m]).sum(1);  // [K] c^T H_jj c
    auto oldCodes = codes.select(1, j).contiguous();                            // [dOut, M]
    auto t = ev.R.slice(1, j * g, (j + 1) * g) / sSafe.unsqueeze(1);           // [dOut, g]
    auto newCodes = oldCodes.clone();
    auto dV = at::zeros({dOut, g}, C.options());
    const int64_t rowsPerChunk = std::max<int64_t>(1, kBeamChunkElements / (beam * K));
    for (int64_t r0 = 0; r0 < dOut; r0 += rowsPerChunk) {
        checkCancel(cancel);
        const int64_t r1 = std::min(dOut, r0 + rowsPerChunk), n = r1 - r0;
        auto tc = t.slice(0, r0, r1).unsqueeze(1);                    // [n, 1, g]
        auto hyp = oldCodes.slice(0, r0, r1).unsqueeze(1).clone();    // [n, h, M], h = 1 at the start
        auto D = at::zeros({n, 1, g}, C.options());                   // [n, h, g]
        at::Tensor value;                                             // [n, h] delta / s^2, best first
        for (int64_t m : order) {
            auto Cm = C[m];
            const int64_t h = hyp.size(1);
            auto A = D - Cm.index_select(0, hyp.select(2, m).reshape({-1})).view({n, h, g});
            auto HA = at::matmul(A, Hjj);
            auto base = (A * (HA - 2 * tc)).sum(2);                   // [n, h]
            auto u = (HA - tc).reshape({n * h, g});
            auto scores = at::addmm(q[size_t(m)].unsqueeze(0), u, Cm.t(), 1, 2).view({n, h, K}) + base.unsqueeze(2);
            const int64_t keep = std::min(beam, h * K);
            auto top = scores.view({n, h * K}).topk(keep, 1, /*largest=*/false, /*sorted=*/true);
            value = std::get<0>(top);
            const auto& idx = std::get<1>(top);
            auto hIdx = idx.div(K, "floor");
            auto cIdx = idx.remainder(K);
            hyp = hyp.gather(1, hIdx.unsqueeze(2).expand({n, keep, M})).clone();
            hyp.select(2, m).copy_(cIdx);
            D = A.gather(1, hIdx.unsqueeze(2).expand({n, keep, g})) +
                Cm.index_select(0, cIdx.reshape({-1})).view({n, keep, g});
        }
        auto improve = (value.select(1, 0) < 0).unsqueeze(1);  // [n, 1]
        newCodes.slice(0, r0, r1).copy_(at::where(improve, hyp.select(1, 0), oldCodes.slice(0, r0, r1)));
        dV.slice(0, r0, r1).copy_(at::where(improve, D.select(1, 0), at::zeros_like(D.select(1, 0))));
    }
    codes.select(1, j).copy_(newCodes);
    ev.V.select(1, j).add_(dV);
    ev.R.addmm_(dV * s.unsqueeze(1), Hrows, 1, -1);
}

void validate(const at::Tensor& W, const at::Tensor& H, const QuantScheme& scheme, const AqlmLayerOptions& o) {
    if (!W.defined() || W.dim() != 2 || W.size(0) < 1 || W.size(1) < 1)
        throw EngineError("", "AQLM: the weight must be a non-empty 2-D matrix [d_out, d_in]" +
                                  (W.defined() ? ", got " + shapeString(W) : std::string()));
    const int64_t dIn = W.size(1);
    const int64_t g = scheme.inGroupSize;
    if (scheme.numCodebooks < 1 || scheme.nbitsPerCodebook < 1 || scheme.nbitsPerCodebook > 16 || g < 1)
        throw EngineError("", "AQLM: invalid scheme " + scheme.toString(),
                          "use 1 or more codebooks of 1 to 16 bits and a positive group size");
    if (dIn % g != 0)
        throw EngineError("", "group size g does not divide d_in (d_in = " + std::to_string(dIn) +
                                  ", g = " + std::to_string(g) + ")",
                          "choose an in_group_size that divides every quantized layer's input width");
    if (!H.defined() || H.dim() != 2 || H.size(0) != dIn || H.size(1) != dIn)
        throw EngineError("", "AQLM: H must be [d_in, d_in] = [" + std::to_string(dIn) + ", " +
                                  std::to_string(dIn) + "], got " + (H.defined() ? shapeString(H) : "nothing"));
    if (!at::isfinite(W).all().item<bool>())
        throw EngineError("", "AQLM: the weight contains NaN or infinite values");
    if (!at::isfinite(H).all().item<bool>())
        throw EngineError("", "AQLM: the Hessian H = X X^T / N contains NaN or infinite values",
                          "check the calibration activations");
    if (o.maxEpochs < 0 || o.stepsPerEpoch < 0 || o.solverIterations < 0 || o.kmeansIterations < 0 || o.kmeansMaxPoints < 1 ||
        !(o.learningRate >= 0) || !(o.relativeTolerance >= 0))
        throw EngineError("", "AQLM: invalid layer options (negative epochs, steps, iterations or rates)");
}

}  // namespace

namespace detail {

std::pair<at::Tensor, at::Tensor> kmeans(const at::Tensor& pointsIn, int64_t k, int iterations, int64_t maxPoints,
                                         uint64_t seed, const CancelToken* cancel, const RowShards* rows,
                                         int64_t pointsPerRow) {
    auto points = pointsIn.to(at::kFloat).contiguous();
    const int64_t n = points.size(0), g = points.size(1);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto longOpts = at::TensorOptions().dtype(at::kLong);

    if (n <= k) {
        // Every point is its own centroid; the surplus centroids are jittered copies of random points.
        auto centroids = at::empty({k, g}, points.options());
        centroids.slice(0, 0, n).copy_(points);
        if (k > n) {
            auto idx = at::randint(n, {k - n}, gen, longOpts);
            const double spread = points.std().item<double>();
            const double noise = (std::isfinite(spread) && spread > 0 ? spread : 1.0) * 1e-3;
            centroids.slice(0, n, k).copy_(points.index_select(0, idx) +
                                           noise * at::randn({k - n, g}, gen, points.options()));
        }
        return {centroids, at::arange(n, longOpts)};
    }

    const int64_t ns = std::min(n, std::max(maxPoints, 2 * k));
    auto sample = (ns < n ? points.index_select(0, at::randperm(n, gen, longOpts).slice(0, 0, ns)) : points).contiguous();

    at::Tensor centroids;
    if (k <= kKmeansPlusPlusMax)
        centroids = kmeansPlusPlus(sample, k, seed ^ 0xA5A5A5A5DEADBEEFULL, cancel);
    else
        centroids = sample.index_select(0, at::randperm(ns, gen, longOpts).slice(0, 0, k)).clone();

    const double sampleNorm = sample.pow(2).sum(at::kDouble).item<double>();
    const double macsPerIteration = double(ns) * double(k) * double(g);
    const int maxIterations =
        int(std::min<double>(iterations, std::max(1.0, std::floor(kLloydBudgetMacs / macsPerIteration))));
    // Lloyd steps split like rows: each rank assigns its shards of the sample, the per-centroid sums
    // are formed shard by shard (in one process too), so every rank gets the same centroids.
    const RowShards sampleShards(ns, rows ? rows->group() : nullptr);
    const at::Tensor ownSample = sampleShards.own(sample);
    double previousInertia = std::numeric_limits<double>::infinity();
    for (int it = 0; it < maxIterations; ++it) {
        checkCancel(cancel);
        auto nearest = argminScores(ownSample, centroids, centroids.pow(2).sum(1), cancel);
        const double inertia = sampleShards.sumOverRows(std::get<0>(nearest)) + sampleNorm;
        if (std::isfinite(previousInertia) && previousInertia - inertia <= kLloydTolerance * previousInertia) break;
        previousInertia = inertia;
        const auto assign = std::get<1>(nearest).contiguous();
        auto sumsAndCounts = sampleShards.sumOverShards({k, g + 1}, points.options(), [&](int64_t begin, int64_t end) {
            auto out = at::zeros({k, g + 1}, points.options());
            const int64_t* a = assign.data_ptr<int64_t>() - sampleShards.ownBegin();
            const float* p = sample.data_ptr<float>();
            float* o = out.data_ptr<float>();
            for (int64_t i = begin; i < end; ++i) {
                float* row = o + a[i] * (g + 1);
                for (int64_t d = 0; d < g; ++d) row[d] += p[i * g + d];
                row[g] += 1;
            }
            return out;
        });
        auto sums = sumsAndCounts.narrow(1, 0, g), counts = sumsAndCounts.select(1, g);
        auto nonEmpty = (counts > 0).unsqueeze(1);
        centroids = at::where(nonEmpty, sums / counts.clamp_min(1).unsqueeze(1), centroids);
    }
    const auto bias = centroids.pow(2).sum(1);
    if (!rows || !rows->distributed()) return {centroids, std::get<1>(argminScores(points, centroids, bias, cancel))};
    auto own = points.narrow(0, rows->ownBegin() * pointsPerRow, rows->ownRows() * pointsPerRow);
    auto assignOwn = std::get<1>(argminScores(own, centroids, bias, cancel));
    return {centroids, rows->gatherRows(assignOwn.view({rows->ownRows(), pointsPerRow})).reshape({-1})};
}

at::Tensor codeUpdateDeltas(const at::Tensor& residualH, const at::Tensor& H, const at::Tensor& codes,
                            const at::Tensor& codebooks, const at::Tensor& scales, int64_t group,
                            int64_t codebook) {
    const int64_t M = codebooks.size(0), K = codebooks.size(1), g = codebooks.size(3);
    auto C = codebooks.to(at::kFloat).reshape({M, K, g});
    auto s = scales.to(at::kFloat).reshape({-1});
    auto Hf = H.to(at::kFloat);
    auto Hjj = Hf.slice(0, group * g, (group + 1) * g).slice(1, group * g, (group + 1) * g).contiguous();
    auto Cm = C[codebook].contiguous();
    auto st = slotTerms(residualH.to(at::kFloat), Hjj, codes.to(at::kLong), Cm, s, safeScales(s), group, codebook, g);
    auto scores = at::addmm(st.q.unsqueeze(0), st.t, Cm.t(), 1, -2);  // [dOut, K]
    return (scores - st.oldScore.unsqueeze(1)) * (s * s).unsqueeze(1);
}

}  // namespace detail

double quantizationObjective(const at::Tensor& W, const at::Tensor& Wq, const at::Tensor& H) {
    if (W.dim() != 2 || Wq.sizes() != W.sizes() || H.dim() != 2 || H.size(0) != W.size(1) || H.size(1) != W.size(1))
        throw EngineError("", "AQLM objective: shapes do not match (W " + shapeString(W) + ", Wq " + shapeString(Wq) +
                                  ", H " + shapeString(H) + ")");
    auto E = (W.to(at::kDouble) - Wq.to(at::kDouble));
    return (at::mm(E, H.to(at::kDouble)) * E).sum().item<double>();
}

namespace {

// Scales = row norms; residual k-means on the normalised rows' g-vectors, one codebook at a time.
// W holds every row: the k-means sample may come from any row, so every rank forms the whole residual
// (cheap, elementwise); only the assignment of all points is split by rows. Returns this rank's rows.
LayerState initialiseByKmeans(const at::Tensor& W, const QuantScheme& scheme, const AqlmLayerOptions& options,
                              const RowShards& rows, const CancelToken* cancel) {
    const int64_t dOut = W.size(0), g = scheme.inGroupSize, J = W.size(1) / g;
    const int64_t M = scheme.numCodebooks, K = scheme.codebookSize();
    LayerState st;
    const auto norms = W.norm(2, {1}).contiguous();
    auto residual = (W / norms.clamp_min(1e-30).unsqueeze(1)).reshape({dOut * J, g}).contiguous();
    st.C = at::empty({M, K, g}, W.options());
    auto codesFlat = at::empty({dOut * J, M}, at::TensorOptions().dtype(at::kLong));
    for (int64_t m = 0; m < M; ++m) {
        auto km = detail::kmeans(residual, K, options.kmeansIterations, options.kmeansMaxPoints,
                                 options.seed * 1000003ULL + 7919ULL * uint64_t(m) + 1, cancel, &rows, J);
        st.C[m].copy_(km.first);
        codesFlat.select(1, m).copy_(km.second);
        if (m + 1 < M) residual = residual - km.first.index_select(0, km.second);
    }
    st.s = rows.own(norms).contiguous();
    st.codes = rows.own(codesFlat.view({dOut, J, M})).contiguous();
    return st;
}

// Codes fixed: `steps` Adam steps on codebooks and scales with the exact objective through H,
// keeping the best parameters seen. The moments persist across epochs.
class CodebookStep {
public:
    CodebookStep(const LayerState& st, double learningRate) : m_codebooks(st.C), m_scales(st.s) {
        m_adam.learningRate = learningRate;
    }
    void run(const LayerProblem& p, LayerState& st, Evaluation& ev, int steps, int64_t K, const CancelToken* cancel) {
        double bestObjective = ev.objective;
        at::Tensor bestC = st.C.clone(), bestS = st.s.clone();
        for (int step = 0; step < steps; ++step) {
            checkCancel(cancel);
            if (step > 0) {
                ev = evaluate(p, st.C, st.s, st.codes);
                if (ev.objective < bestObjective) {
                    bestObjective = ev.objective;
                    bestC.copy_(st.C);
                    bestS.copy_(st.s);
                }
            }
            auto grads = parameterGrad(p.rows, ev.R, ev.V, st.s, st.codes, K);
            ++m_step;
            m_codebooks.update(st.C, grads.first, m_adam, m_step);
            m_scales.update(st.s, grads.second, m_adam, m_step);
        }
        ev = evaluate(p, st.C, st.s, st.codes);
        if (ev.objective > bestObjective) {
            st.C.copy_(bestC);
            st.s.copy_(bestS);
            ev = evaluate(p, st.C, st.s, st.codes);
        }
    }

private:
    AdamSettings m_adam;
    AdamMoments m_codebooks, m_scales;
    int64_t m_step = 0;
};

// One code-search pass over the (group, codebook) slots of one chunk of groups, already shuffled (local
// group indices; st, ev and Hn restricted to the chunk). Greedy (beam 1): visit the slots in that order.
// Beam > 1: visit the groups in the order of their first slot, each group's codebooks in the order of its
// slots. ev.R and ev.V are updated incrementally.
void searchSlots(const at::Tensor& Hn, const at::Tensor& hBlocks, const std::vector<std::pair<int64_t, int64_t>>& slots,
                 LayerState& st, Evaluation& ev, int64_t g, int64_t beam, const CancelToken* cancel) {
    const int64_t J = hBlocks.size(0);
    auto sSafe = safeScales(st.s);
    if (beam > 1) {
        std::vector<int64_t> groupOrder;
        std::vector<std::vector<int64_t>> codebookOrder(static_cast<size_t>(J));
        for (const auto& slot : slots) {
            if (codebookOrder[size_t(slot.first)].empty()) groupOrder.push_back(slot.first);
            codebookOrder[size_t(slot.first)].push_back(slot.second);
        }
        for (int64_t j : groupOrder) {
            checkCancel(cancel);
            beamSearchGroup(ev, st.codes, st.C, st.s, sSafe, hBlocks[j], Hn.slice(0, j * g, (j + 1) * g),
                            codebookOrder[size_t(j)], j, g, beam, cancel);
        }
        return;
    }
    for (const auto& slot : slots) {
        checkCancel(cancel);
        const int64_t j = slot.first, m = slot.second;
        auto Cm = st.C[m];
        auto terms = slotTerms(ev.R, hBlocks[j], st.codes, Cm, st.s, sSafe, j, m, g);
        auto best = argminScores(terms.t, Cm, terms.q, cancel);
        auto improve = std::get<0>(best) < terms.oldScore;
        if (!improve.any().item<bool>()) continue;
        auto newCodes = at::where(improve, std::get<1>(best), terms.oldCodes);
        auto dV = Cm.index_select(0, newCodes) - terms.oldVec;  // zero on unchanged rows
        st.codes.select(2, m).select(1, j).copy_(newCodes);
        ev.V.select(1, j).add_(dV);
        ev.R.addmm_(dV * st.s.unsqueeze(1), Hn.slice(0, j * g, (j + 1) * g), 1, -1);
    }
}

// Input columns per code-search chunk: R's chunk columns are a copy small enough for the cache-friendly
// rank-g updates, and the rest of R is updated once per chunk by one product.
constexpr int64_t kSearchChunkColumns = 512;

// One code-search pass over the whole layer. The groups are split into contiguous chunks of about
// kSearchChunkColumns inputs, visited in shuffled order, each chunk's (group, codebook) slots in shuffled
// order. Inside a chunk only a copy of the chunk's columns of R is kept current; after it, R takes the
// chunk's change in one [dOut, chunk] x [chunk, dIn] product: one d_out x d_in x d_in product per pass
// in all, instead of J * M rank-g updates of the whole R.
void searchCodes(const at::Tensor& Hn, const at::Tensor& hBlocks, LayerState& st, Evaluation& ev, int64_t g,
                 int64_t beam, std::mt19937_64& rng, const CancelToken* cancel) {
    const int64_t dOut = st.codes.size(0), J = st.codes.size(1), M = st.codes.size(2);
    const int64_t groupsPerChunk = std::max<int64_t>(1, kSearchChunkColumns / g);
    std::vector<int64_t> chunkStarts;
    for (int64_t j0 = 0; j0 < J; j0 += groupsPerChunk) chunkStarts.push_back(j0);
    for (size_t i = chunkStarts.size(); i > 1; --i) std::swap(chunkStarts[i - 1], chunkStarts[rng() % i]);
    for (int64_t j0 : chunkStarts) {
        const int64_t n = std::min(groupsPerChunk, J - j0), columns = n * g;
        std::vector<std::pair<int64_t, int64_t>> slots;
        for (int64_t j = 0; j < n; ++j)
            for (int64_t m = 0; m < M; ++m) slots.emplace_back(j, m);
        // The slots are shuffled the same way for every beam size (same rng stream).
        for (size_t i = slots.size(); i > 1; --i) std::swap(slots[i - 1], slots[rng() % i]);
        auto chunkRows = Hn.narrow(0, j0 * g, columns);
        LayerState local{st.C, st.s, st.codes.narrow(1, j0, n)};
        Evaluation localEv{ev.V.narrow(1, j0, n), ev.R.narrow(1, j0 * g, columns).clone(), 0};
        const at::Tensor before = localEv.V.clone();
        searchSlots(chunkRows.narrow(1, j0 * g, columns), hBlocks.narrow(0, j0, n), slots, local, localEv, g, beam,
                    cancel);
        auto dW = (localEv.V - before).view({dOut, columns}).mul_(st.s.unsqueeze(1));
        ev.R.addmm_(dW, chunkRows, 1, -1);
    }
}

}  // namespace

AqlmLayerResult quantizeAqlmLayer(const at::Tensor& Win, const at::Tensor& Hin, const QuantScheme& scheme,
                                  const AqlmLayerOptions& options,
                                  const std::function<void(int, double, double)>& onEpoch,
                                  const CancelToken* cancel, ProcessGroup* rowGroup) {
    validate(Win, Hin, scheme, options);

    checkCancel(cancel);
    at::NoGradGuard noGrad;

    const int64_t dOut = Win.size(0), dIn = Win.size(1), g = scheme.inGroupSize, J = dIn / g;
    const int64_t M = scheme.numCodebooks, K = scheme.codebookSize();

    auto W = Win.detach().to(at::kFloat).contiguous();
    auto Hd = Hin.detach().to(at::kDouble);
    Hd = Hd.add(Hd.t()).mul_(0.5);  // one d x d temporary fewer than (Hd + Hd^T) * 0.5, same values
    const double diagMean = Hd.diagonal().mean().item<double>();
    const double hScale = diagMean > 0 ? diagMean : 1.0;
    auto Hn = (Hd / hScale).to(at::kFloat).contiguous();
    Hd = at::Tensor();  // only Hn from here on: 1 GB less while an 11008-wide layer is quantized
    // W·H once (fp32 product, rows summed in fp64): the exact updates' residual starts from it, and
    // tr(W H W^T) comes from it too; a separate fp64 product was a third of a wide layer's setup.
    const RowShards rows(dOut, rowGroup);
    const LayerProblem problem = makeLayerProblem(rows.own(W), Hn, g, &rows);
    const double reference = rows.sumOverRows(problem.rowEnergy) * hScale;
    auto relative = [&](double objective) { return reference > 0 ? objective / reference : 0.0; };

    LayerState st = initialiseByKmeans(W, scheme, options, rows, cancel);
    auto ev = evaluate(problem, st.C, st.s, st.codes);
    AqlmLayerResult result;
    double objective = ev.objective * hScale;
    result.relErrorPerEpoch.push_back(relative(objective));
    if (onEpoch) onEpoch(0, objective, relative(objective));

    // --- Alternation.
    std::mt19937_64 rng(options.seed ^ 0x9E3779B97F4A7C15ULL);
    const int64_t beam = std::max(1, options.beamSize);
    const bool exact = options.codebookUpdate == CodebookUpdate::Exact;
    CodebookStep codebookStep(st, options.learningRate);

    int epoch = 0;
    for (epoch = 1; epoch <= options.maxEpochs; ++epoch) {
        const double previous = objective;
        if (previous <= 0) {
            epoch -= 1;
            break;
        }
        if (exact) {
            fitScalesExactly(problem, st, ev);
            fitCodebooksExactly(problem, st, ev, options.solverIterations, kSolverTolerance, cancel);
        } else if (options.stepsPerEpoch > 0 && options.learningRate > 0) {
            codebookStep.run(problem, st, ev, options.stepsPerEpoch, K, cancel);
        }
        // The code search is per row: a rank without rows has nothing to search (and no later use for rng).
        if (rows.ownRows() > 0) searchCodes(Hn, problem.hBlocks, st, ev, g, beam, rng, cancel);
        if (exact) {  // R is current (incrementally): the objective needs only E = W - Ŵ
            ev.objective = rowObjective(rows, aqlm_math::decodeGroups(st.C, st.codes, &problem.W, &st.s).second, ev.R);
        } else {
            ev = evaluate(problem, st.C, st.s, st.codes);  // exact, also removes incremental drift from R
        }

        objective = ev.objective * hScale;
        result.relErrorPerEpoch.push_back(relative(objective));
        if (onEpoch) onEpoch(epoch, objective, relative(objective));
        if (previous - objective < options.relativeTolerance * previous) break;
    }
    result.epochs = std::min(epoch, options.maxEpochs);
    if (exact && result.epochs > 0) {  // the tracked objective, recomputed exactly once
        ev = evaluate(problem, st.C, st.s, st.codes);
        objective = ev.objective * hScale;
    }

    result.codes = rows.gatherRows(st.codes.to(at::kInt).contiguous()).contiguous();
    result.codebooks = st.C.reshape({M, K, 1, g}).contiguous();
    result.scales = rows.gatherRows(st.s.contiguous()).reshape({dOut, 1, 1, 1}).contiguous();
    result.objective = objective;
    result.relError = relative(objective);
    return result;
}

}  // namespace aqlm
