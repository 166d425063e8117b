#include "engine/quant/codebook_solver.h"

namespace aqlm {

using aqlm_math::dotDouble;

LayerProblem makeLayerProblem(const at::Tensor& W, const at::Tensor& Hn, int64_t g, const RowShards* rows) {
    LayerProblem p;
    p.rows = rows ? *rows : RowShards(W.size(0), nullptr);
    const int64_t J = W.size(1) / g;
    p.W = W;
    p.Hn = Hn;
    p.WH = at::mm(W, Hn);
    p.rowEnergy = aqlm_math::rowDotsDouble(W, p.WH);
    p.hBlocks = at::empty({J, g, g}, Hn.options());
    for (int64_t j = 0; j < J; ++j) p.hBlocks[j].copy_(Hn.slice(0, j * g, (j + 1) * g).slice(1, j * g, (j + 1) * g));
    return p;
}

at::Tensor scatterToCodebooksByShard(const RowShards& rows, const at::Tensor& X, const at::Tensor& s,
                                     const at::Tensor& codes, int64_t K) {
    const int64_t M = codes.size(2), g = X.size(1) / codes.size(1);
    return rows.sumOverShards({M, K, g}, X.options(), [&](int64_t begin, int64_t end) {
        return aqlm_math::scatterToCodebooks(rows.slice(X, begin, end), rows.slice(s, begin, end),
                                             rows.slice(codes, begin, end), K);
    });
}

void fitScalesExactly(const LayerProblem& p, aqlm_math::LayerState& st, aqlm_math::Evaluation& ev) {
    const int64_t dOut = p.W.size(0), dIn = p.W.size(1);
    auto V = ev.V.view({dOut, dIn});
    auto VH = at::mm(V, p.Hn);
    auto num = aqlm_math::rowDotsDouble(p.W, VH);
    auto den = aqlm_math::rowDotsDouble(V, VH);
    auto s = at::where(den > 0, num / den.clamp_min(1e-300), st.s.to(at::kDouble));
    // Row objective: w H w^T - 2 s <w, v>_H + s^2 <v, v>_H.
    ev.objective = p.rows.sumOverRows(p.rowEnergy - 2 * s * num + s * s * den);
    st.s = s.to(at::kFloat);
    ev.R = VH.mul_(-st.s.unsqueeze(1)).add_(p.WH);
}

namespace {

// z = D^-1 r per codeword, D the g x g diagonal blocks of the normal equations (Cholesky factors).
class BlockJacobi {
public:
    BlockJacobi(const LayerProblem& p, const aqlm_math::LayerState& st, int64_t K) {
        const int64_t M = st.C.size(0), g = st.C.size(2);
        const RowShards& rows = p.rows;
        auto D = rows.sumOverShards({M, K, g, g}, p.hBlocks.options(), [&](int64_t begin, int64_t end) {
            return aqlm_math::codebookCurvature(p.hBlocks, rows.slice(st.s, begin, end), rows.slice(st.codes, begin, end), K);
        });
        D = D.view({M * K, g, g});
        // A small ridge keeps unused codewords (D = 0, zero gradient: never moved) and dead inputs factorable.
        auto trace = D.diagonal(0, 1, 2).sum(1);
        const double typical = trace.mean().item<double>() / double(g);
        auto ridge = (trace / double(g)) * 1e-4 + std::max(typical, 1e-30) * 1e-8;
        D = D + at::diag_embed(ridge.unsqueeze(1).expand({M * K, g}));
        m_factor = std::get<0>(at::linalg_cholesky_ex(D.to(at::kDouble)));
        m_shape = {M, K, g};
    }
    at::Tensor apply(const at::Tensor& r) const {
        auto z = at::cholesky_solve(r.reshape({-1, m_shape[2], 1}).to(at::kDouble), m_factor);
        return z.to(r.scalar_type()).view(m_shape);
    }

private:
    at::Tensor m_factor;
    std::vector<int64_t> m_shape;
};

}  // namespace

int fitCodebooksExactly(const LayerProblem& p, aqlm_math::LayerState& st, aqlm_math::Evaluation& ev,
                        int maxIterations, double tolerance, const CancelToken* cancel) {
    const int64_t dOut = p.W.size(0), dIn = p.W.size(1), K = st.C.size(1);
    BlockJacobi preconditioner(p, st, K);
    auto sColumn = st.s.unsqueeze(1);
    auto r = scatterToCodebooksByShard(p.rows, ev.R, st.s, st.codes, K);  // -1/2 gradient
    auto z = preconditioner.apply(r);
    auto dir = z.clone();
    double rz = dotDouble(r, z);
    int steps = 0;
    while (steps < maxIterations && rz > 0) {
        if (cancel) cancel->throwIfCancelled();
        auto dW = aqlm_math::decodeGroups(dir, st.codes).first.view({dOut, dIn}).mul_(sColumn);
        auto dWH = at::mm(dW, p.Hn);
        auto q = scatterToCodebooksByShard(p.rows, dWH, st.s, st.codes, K);
        const double curvature = dotDouble(dir, q), slope = dotDouble(r, dir);
        if (!(curvature > 0) || !(slope > 0)) break;
        const double alpha = slope / curvature;
        st.C.add_(dir, alpha);
        ev.R.add_(dWH, -alpha);
        const double decrease = alpha * slope;
        ev.objective -= decrease;
        ++steps;
        if (decrease < tolerance * ev.objective) break;
        r.add_(q, -alpha);
        z = preconditioner.apply(r);
        const double rzNext = dotDouble(r, z);
        dir.mul_(rzNext / rz).add_(z);
        rz = rzNext;
    }
    ev.V = aqlm_math::decodeGroups(st.C, st.codes).first;
    return steps;
}

}  // namespace aqlm
