// The exact codebook/scale solver and the fused kernels of the AQLM layer quantizer, against brute force:
// closed-form scales are the per-row optimum, conjugate gradients reach the dense least-squares optimum
// of the codebooks, the incrementally kept residual (W - Ŵ) H equals its recomputation after the solver
// and after a chunked code-search pass, the fused nearest-codeword search equals argmin over all scores,
// and the exact update never ends above Adam's error on the checked layers.
#include "engine/quant/aqlm_layer_math.h"
#include "engine/quant/aqlm_layer_quantizer.h"
#include "engine/quant/codebook_solver.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <QtTest/QtTest>

#include <cmath>

using namespace aqlm;
using aqlm_math::Evaluation;
using aqlm_math::LayerState;

namespace {

at::Generator gen(uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

at::Tensor correlatedH(int64_t dIn, uint64_t seed) {
    auto g = gen(seed);
    auto opts = at::TensorOptions().dtype(at::kDouble);
    auto A = at::randn({dIn, dIn}, g, opts) / std::sqrt(double(dIn)) + 0.3 * at::eye(dIn, opts);
    auto X = at::mm(A, at::randn({dIn, 4 * dIn}, g, opts));
    auto H = at::mm(X, X.t()) / double(4 * dIn);
    return (H / H.diagonal().mean()).to(at::kFloat);
}

// A layer with random codes, codebooks and scales, and its evaluation.
struct Instance {
    at::Tensor W, Hn;
    LayerState st;
    Evaluation ev;
    LayerProblem problem;
};

Instance makeInstance(int64_t dOut, int64_t dIn, int64_t M, int64_t K, int64_t g, uint64_t seed) {
    auto gn = gen(seed);
    Instance in;
    in.W = at::randn({dOut, dIn}, gn);
    in.Hn = correlatedH(dIn, seed + 1);
    in.st.C = at::randn({M, K, g}, gn) * 0.3;
    in.st.s = at::rand({dOut}, gn) + 0.5;
    in.st.codes = at::randint(K, {dOut, dIn / g, M}, gn, at::TensorOptions().dtype(at::kLong));
    in.problem = makeLayerProblem(in.W, in.Hn, g);
    auto VE = aqlm_math::decodeGroups(in.st.C, in.st.codes, &in.W, &in.st.s);
    in.ev.V = VE.first;
    in.ev.R = at::mm(VE.second, in.Hn);
    in.ev.objective = aqlm_math::dotDouble(VE.second, in.ev.R);
    return in;
}

at::Tensor decodedWeight(const LayerState& st) {
    auto V = aqlm_math::decodeGroups(st.C, st.codes).first;
    return V.reshape({V.size(0), -1}) * st.s.unsqueeze(1);
}

double objectiveOf(const at::Tensor& W, const at::Tensor& What, const at::Tensor& Hn) {
    auto E = (W - What).to(at::kDouble);
    return (at::mm(E, Hn.to(at::kDouble)) * E).sum().item<double>();
}

}  // namespace

class TestCodebookSolver : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }
    void scalesArePerRowOptimal();
    void conjugateGradientsReachLeastSquaresOptimum();
    void residualStaysExactThroughSolverAndSearch();
    void nearestByScoreEqualsArgmin();
    void scatterAndCurvatureMatchDefinitions();
    void exactUpdateNotWorseThanAdam();
};

void TestCodebookSolver::scalesArePerRowOptimal() {
    Instance in = makeInstance(12, 32, 2, 16, 4, 11);
    fitScalesExactly(in.problem, in.st, in.ev);
    const double fitted = objectiveOf(in.W, decodedWeight(in.st), in.Hn);
    QVERIFY(std::abs(fitted - in.ev.objective) <= 1e-4 * fitted);
    QVERIFY(at::allclose(in.ev.R, at::mm(in.W - decodedWeight(in.st), in.Hn), 1e-4, 1e-4));
    // Any change of one row's scale raises the objective.
    for (double factor : {0.99, 1.01}) {
        for (int64_t row : {0, 5, 11}) {
            LayerState moved{in.st.C, in.st.s.clone(), in.st.codes};
            moved.s[row].mul_(factor);
            QVERIFY(objectiveOf(in.W, decodedWeight(moved), in.Hn) > fitted);
        }
    }
}

void TestCodebookSolver::conjugateGradientsReachLeastSquaresOptimum() {
    const int64_t dOut = 10, dIn = 16, M = 2, K = 4, g = 4, J = dIn / g;
    Instance in = makeInstance(dOut, dIn, M, K, g, 21);
    // Dense least squares: Ŵ = A x with x = C flattened; minimise |(W - A x) L|^2 for H = L L^T.
    auto A = at::zeros({dOut * dIn, M * K * g}, at::kDouble);
    for (int64_t i = 0; i < dOut; ++i)
        for (int64_t j = 0; j < J; ++j)
            for (int64_t m = 0; m < M; ++m)
                for (int64_t d = 0; d < g; ++d) {
                    const int64_t k = in.st.codes[i][j][m].item<int64_t>();
                    A[i * dIn + j * g + d][(m * K + k) * g + d] += in.st.s[i].item<double>();
                }
    auto L = at::linalg_cholesky(in.Hn.to(at::kDouble) + 1e-9 * at::eye(dIn, at::kDouble));
    // Row-wise: vec(E L) = (I kron L^T) vec(E).
    auto kron = at::kron(at::eye(dOut, at::kDouble), L.t());
    auto lstsq = at::linalg_lstsq(at::mm(kron, A), at::mv(kron, in.W.to(at::kDouble).reshape({-1})).unsqueeze(1));
    auto x = std::get<0>(lstsq).squeeze(1);
    auto optimal = objectiveOf(in.W, at::mv(A, x).view({dOut, dIn}).to(at::kFloat), in.Hn);

    const double before = in.ev.objective;
    const int steps = fitCodebooksExactly(in.problem, in.st, in.ev, int(M * K * g) * 4, 1e-12, nullptr);
    QVERIFY(steps > 1);
    const double reached = objectiveOf(in.W, decodedWeight(in.st), in.Hn);
    QVERIFY2(reached <= optimal * (1 + 1e-4) + 1e-6, qPrintable(QString("CG %1, least squares %2, start %3")
                                                                    .arg(reached).arg(optimal).arg(before)));
    QVERIFY(reached < before);
    QVERIFY(std::abs(in.ev.objective - reached) <= 1e-3 * reached + 1e-6);  // tracked objective
}

void TestCodebookSolver::residualStaysExactThroughSolverAndSearch() {
    // 1024 inputs at g = 8: two code-search chunks, so the per-chunk product is exercised too.
    auto gn = gen(31);
    auto W = at::randn({48, 1024}, gn) * 0.05;
    auto H = correlatedH(1024, 32);
    QuantScheme scheme;
    scheme.numCodebooks = 2;
    scheme.nbitsPerCodebook = 6;
    scheme.inGroupSize = 8;
    AqlmLayerOptions o;
    o.maxEpochs = 3;
    o.relativeTolerance = 0;
    o.kmeansIterations = 10;
    o.codebookUpdate = CodebookUpdate::Exact;
    AqlmLayerResult r = quantizeAqlmLayer(W, H, scheme, o);
    QCOMPARE(r.epochs, 3);
    // The per-epoch errors come from the incrementally kept residual; the last one also exactly.
    const auto& per = r.relErrorPerEpoch;
    for (size_t e = 1; e < per.size(); ++e) QVERIFY2(per[e] <= per[e - 1] * (1 + 1e-6), qPrintable(QString::number(e)));
    QVERIFY(std::abs(per.back() - r.relError) <= 1e-4 * r.relError);
    auto V = at::zeros({48, 128, 8});
    auto codes = r.codes.to(at::kLong);
    for (int64_t m = 0; m < 2; ++m)
        V += r.codebooks[m].squeeze(1).index_select(0, codes.select(2, m).reshape(-1)).view({48, 128, 8});
    auto What = V.reshape({48, 1024}) * r.scales.reshape({48, 1});
    const double exact = objectiveOf(W, What, H) / objectiveOf(W, at::zeros_like(W), H);
    QVERIFY(std::abs(exact - r.relError) <= 1e-4 * exact);
}

void TestCodebookSolver::nearestByScoreEqualsArgmin() {
    auto gn = gen(41);
    for (int64_t K : {1, 7, 32, 100, 256}) {
        for (int64_t g : {1, 4, 8, 16}) {
            auto P = at::randn({37, g}, gn);
            auto C = at::randn({K, g}, gn);
            auto bias = (C * C).sum(1);
            if (K >= 7) {  // a tied pair of codewords
                C[5].copy_(C[3]);
                bias[5].copy_(bias[3]);
            }
            auto value = at::empty({37});
            auto index = at::empty({37}, at::kLong);
            aqlm_math::nearestByScore(P, C.t().contiguous(), bias, value, index);
            auto scores = bias.unsqueeze(0) - 2 * at::mm(P, C.t());
            auto mn = scores.min(1);
            QVERIFY(at::allclose(value, std::get<0>(mn), 1e-4, 1e-5));
            // Equal scores may pick either copy of a tied codeword; the chosen score must be the minimum.
            auto chosen = scores.gather(1, index.unsqueeze(1)).squeeze(1);
            QVERIFY(at::allclose(chosen, std::get<0>(mn), 1e-4, 1e-5));
            QVERIFY((index >= 0).all().item<bool>() && (index < K).all().item<bool>());
        }
    }
}

void TestCodebookSolver::scatterAndCurvatureMatchDefinitions() {
    Instance in = makeInstance(9, 24, 3, 8, 4, 51);
    const int64_t J = 6, K = 8, g = 4, M = 3;
    auto X = at::randn({9, 24}, gen(52));
    auto scattered = aqlm_math::scatterToCodebooks(X, in.st.s, in.st.codes, K);
    auto curvature = aqlm_math::codebookCurvature(in.problem.hBlocks, in.st.s, in.st.codes, K);
    auto expectS = at::zeros({M, K, g});
    auto expectD = at::zeros({M, K, g, g});
    for (int64_t i = 0; i < 9; ++i)
        for (int64_t j = 0; j < J; ++j)
            for (int64_t m = 0; m < M; ++m) {
                const int64_t k = in.st.codes[i][j][m].item<int64_t>();
                const double s = in.st.s[i].item<double>();
                expectS[m][k] += s * X[i].slice(0, j * g, (j + 1) * g);
                expectD[m][k] += s * s * in.problem.hBlocks[j];
            }
    QVERIFY(at::allclose(scattered, expectS, 1e-5, 1e-5));
    QVERIFY(at::allclose(curvature, expectD, 1e-5, 1e-5));
}

void TestCodebookSolver::exactUpdateNotWorseThanAdam() {
    auto gn = gen(61);
    for (uint64_t seed : {1, 2}) {
        auto W = at::randn({64, 128}, gn) * (at::rand({64, 1}, gn) + 0.5);
        auto H = correlatedH(128, 62 + seed);
        QuantScheme scheme;
        scheme.numCodebooks = 2;
        scheme.nbitsPerCodebook = 6;
        scheme.inGroupSize = 8;
        AqlmLayerOptions o;
        o.maxEpochs = 4;
        o.kmeansIterations = 20;
        o.seed = seed;
        o.codebookUpdate = CodebookUpdate::Adam;
        const double adam = quantizeAqlmLayer(W, H, scheme, o).relError;
        o.codebookUpdate = CodebookUpdate::Exact;
        const double exact = quantizeAqlmLayer(W, H, scheme, o).relError;
        QVERIFY2(exact <= adam, qPrintable(QString("exact %1 adam %2").arg(exact).arg(adam)));
    }
}

QTEST_APPLESS_MAIN(TestCodebookSolver)
#include "tst_codebook_solver.moc"
