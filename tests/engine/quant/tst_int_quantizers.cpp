// RTN and GPTQ integer baselines: grid bounds, decode consistency, GPTQ's objective versus RTN on
// correlated inputs, act-order bookkeeping, H = I equivalence, blocking invariance, errors, cancel.
#include "engine/quant/int_quantizers.h"

#include "engine/api/engine_error.h"

#include <QtTest/QtTest>

#include <cmath>
#include <set>

using namespace aqlm;

namespace {

// tr((W - Ŵ) H (W - Ŵ)^T) in fp64.
double objective(const at::Tensor& W, const at::Tensor& What, const at::Tensor& H) {
    auto d = (W - What).to(at::kDouble);
    return (d.matmul(H.to(at::kDouble)) * d).sum().item<double>();
}

// Correlated inputs X = A Z (A with a decaying spectrum), H = X X^T / N.
at::Tensor correlatedHessian(int64_t dIn, int64_t n, uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    auto A = at::randn({dIn, dIn}, gen, at::kDouble);
    auto decay = at::pow(at::arange(1, dIn + 1, at::kDouble), -0.5);
    A = A * decay.unsqueeze(0) + 0.3 * at::eye(dIn, at::kDouble);
    auto Z = at::randn({dIn, n}, gen, at::kDouble);
    auto X = A.matmul(Z);
    // Per-feature magnitudes vary like real activations (some channels much larger).
    auto mag = at::exp(at::randn({dIn, 1}, gen, at::kDouble));
    X = X * mag;
    return X.matmul(X.t()) / double(n);
}

at::Tensor randomWeight(int64_t dOut, int64_t dIn, uint64_t seed) {
    auto gen = at::detail::createCPUGenerator(seed);
    return at::randn({dOut, dIn}, gen, at::kFloat);
}

// What a consumer computes by hand from the stored fields.
at::Tensor manualDecode(const IntQuantized& q) {
    const int64_t dOut = q.qweight.size(0), dIn = q.qweight.size(1);
    auto out = at::empty({dOut, dIn}, at::kFloat);
    auto qa = q.qweight.accessor<uint8_t, 2>();
    auto sa = q.scales.accessor<float, 2>();
    auto za = q.zeros.accessor<float, 2>();
    auto ga = q.groupIndex.accessor<int32_t, 1>();
    auto oa = out.accessor<float, 2>();
    for (int64_t r = 0; r < dOut; ++r)
        for (int64_t c = 0; c < dIn; ++c) oa[r][c] = (float(qa[r][c]) - za[r][ga[c]]) * sa[r][ga[c]];
    return out;
}

void checkLayout(const IntQuantized& q, int64_t dOut, int64_t dIn, int bits, int64_t nGroups) {
    QCOMPARE(q.qweight.scalar_type(), at::kByte);
    QCOMPARE(q.qweight.sizes().vec(), (std::vector<int64_t>{dOut, dIn}));
    QCOMPARE(q.scales.scalar_type(), at::kFloat);
    QCOMPARE(q.zeros.scalar_type(), at::kFloat);
    QCOMPARE(q.scales.sizes().vec(), (std::vector<int64_t>{dOut, nGroups}));
    QCOMPARE(q.zeros.sizes().vec(), (std::vector<int64_t>{dOut, nGroups}));
    QCOMPARE(q.groupIndex.scalar_type(), at::kInt);
    QCOMPARE(q.groupIndex.sizes().vec(), (std::vector<int64_t>{dIn}));
    QCOMPARE(q.bits, bits);
    QVERIFY(q.qweight.max().item<int>() < (1 << bits));
    QVERIFY((q.scales > 0).all().item<bool>());
    QVERIFY((q.zeros >= 0).all().item<bool>());
    QVERIFY((q.zeros <= double((1 << bits) - 1)).all().item<bool>());
    QVERIFY(at::equal(q.zeros, at::round(q.zeros)));
    QVERIFY(q.groupIndex.min().item<int>() >= 0);
    QVERIFY(q.groupIndex.max().item<int>() < nGroups);
    // Every group holds exactly dIn / nGroups columns.
    auto counts = at::bincount(q.groupIndex.to(at::kLong), {}, nGroups);
    QVERIFY(at::equal(counts, at::full({nGroups}, dIn / nGroups, at::kLong)));
    QVERIFY(at::allclose(intDecode(q), manualDecode(q), 0, 0));
}

template <typename F>
bool throwsEngineError(F&& f) {
    try {
        f();
    } catch (const EngineError&) {
        return true;
    }
    return false;
}

}  // namespace

class TestIntQuantizers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { at::manual_seed(0); }

    void rtnErrorIsWithinHalfAStep_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("groupSize");
        QTest::newRow("2-bit g16") << 2 << 16;
        QTest::newRow("3-bit g32") << 3 << 32;
        QTest::newRow("4-bit g64") << 4 << 64;
        QTest::newRow("4-bit one group (0)") << 4 << 0;
        QTest::newRow("4-bit one group (>= dIn)") << 4 << 512;
        QTest::newRow("8-bit g128") << 8 << 128;
    }
    void rtnErrorIsWithinHalfAStep() {
        QFETCH(int, bits);
        QFETCH(int, groupSize);
        const int64_t dOut = 24, dIn = 256;
        auto W = randomWeight(dOut, dIn, 1) * 0.05 + 0.01;  // off-centre so the zero point matters
        auto q = quantizeRtn(W, bits, groupSize);
        const int64_t gs = (groupSize <= 0 || groupSize >= dIn) ? dIn : groupSize;
        checkLayout(q, dOut, dIn, bits, dIn / gs);
        QCOMPARE(int64_t(q.groupSize), gs);
        QVERIFY(at::equal(q.groupIndex, at::div(at::arange(dIn, at::kLong), gs, "floor").to(at::kInt)));
        auto err = (intDecode(q) - W).abs();
        auto halfStep = q.scales.index_select(1, q.groupIndex.to(at::kLong)) * 0.5;
        QVERIFY2((err <= halfStep * (1 + 1e-5) + 1e-7).all().item<bool>(),
                 qPrintable(QString("max err/step = %1")
                                .arg((err / (2 * halfStep)).max().item<double>())));
        // The grid is as tight as min/max with zero allows: scale = range / (2^b - 1).
        auto Wg = W.view({dOut, dIn / gs, gs});
        auto range = at::clamp_min(std::get<0>(Wg.max(2)), 0) - at::clamp_max(std::get<0>(Wg.min(2)), 0);
        QVERIFY(at::allclose(q.scales, range / double((1 << bits) - 1), 1e-5, 1e-8));
    }

    void rtnHandlesConstantAndZeroRows() {
        auto W = at::zeros({3, 16}, at::kFloat);
        W[1].fill_(0.25);
        W[2].fill_(-3.0);
        auto q = quantizeRtn(W, 4, 8);
        checkLayout(q, 3, 16, 4, 2);
        QVERIFY(at::allclose(intDecode(q), W, 0, 1e-6));
    }

    void rtn8BitIsNearlyExact() {
        auto W = randomWeight(64, 256, 2);
        auto q = quantizeRtn(W, 8, 64);
        const double rel = ((intDecode(q) - W).norm() / W.norm()).item<double>();
        // Uniform rounding noise: RMS = scale / sqrt(12) ~ 4.8 sigma / 255 / 3.46 ~ 0.0055 for g64.
        QVERIFY2(rel < 1e-2, qPrintable(QString("relative error %1").arg(rel)));
    }

    void gptqBeatsRtnOnCorrelatedInputs_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("groupSize");
        QTest::addColumn<bool>("actOrder");
        QTest::addColumn<double>("maxRatio");
        // Over 20 seeds of this setup the ratio stayed within 0.24-0.52 (plain) and 0.12-0.16
        // (act-order); the bounds leave margin while still demanding a clear win.
        QTest::newRow("3-bit g64") << 3 << 64 << false << 0.7;
        QTest::newRow("4-bit g64") << 4 << 64 << false << 0.7;
        QTest::newRow("3-bit per-row") << 3 << 0 << false << 0.7;
        QTest::newRow("4-bit per-row") << 4 << 0 << false << 0.7;
        QTest::newRow("3-bit g64 act-order") << 3 << 64 << true << 0.35;
        QTest::newRow("4-bit g64 act-order") << 4 << 64 << true << 0.35;
    }
    void gptqBeatsRtnOnCorrelatedInputs() {
        QFETCH(int, bits);
        QFETCH(int, groupSize);
        QFETCH(bool, actOrder);
        QFETCH(double, maxRatio);
        const int64_t dOut = 96, dIn = 256;
        auto W = randomWeight(dOut, dIn, 3);
        auto H = correlatedHessian(dIn, 2048, 4);
        GptqOptions o;
        o.bits = bits;
        o.groupSize = groupSize;
        o.actOrder = actOrder;
        o.blockSize = 48;  // not a multiple of the group size: groups straddle blocks
        auto g = quantizeGptq(W, H, o);
        const int64_t gs = groupSize <= 0 ? dIn : groupSize;
        checkLayout(g, dOut, dIn, bits, dIn / gs);
        auto r = quantizeRtn(W, bits, groupSize);
        const double eg = objective(W, intDecode(g), H), er = objective(W, intDecode(r), H);
        const double ratio = eg / er;
        qInfo("GPTQ/RTN objective ratio (%d-bit, g%d%s): %.4f", bits, int(gs), actOrder ? ", act-order" : "", ratio);
        QVERIFY2(std::isfinite(eg) && ratio < maxRatio, qPrintable(QString("ratio %1").arg(ratio)));
    }

    void actOrderGroupsFollowDescendingDiagonal() {
        const int64_t dOut = 32, dIn = 128, gs = 32;
        auto W = randomWeight(dOut, dIn, 5);
        auto H = correlatedHessian(dIn, 1024, 6);
        GptqOptions o;
        o.bits = 4;
        o.groupSize = int(gs);
        o.actOrder = true;
        o.blockSize = 20;
        auto q = quantizeGptq(W, H, o);
        checkLayout(q, dOut, dIn, 4, dIn / gs);
        // Group g holds the columns ranked [g*gs, (g+1)*gs) by descending diag(H).
        auto order = std::get<1>(at::sort(H.diagonal(), /*stable=*/true, 0, /*descending=*/true));
        auto expected = at::empty({dIn}, at::kInt);
        for (int64_t k = 0; k < dIn; ++k) expected[order[k].item<int64_t>()] = int(k / gs);
        QVERIFY(at::equal(q.groupIndex, expected));
        // Not the identity mapping: the bookkeeping really is exercised.
        QVERIFY(!at::equal(q.groupIndex, at::div(at::arange(dIn, at::kLong), gs, "floor").to(at::kInt)));
        QCOMPARE(intDecode(q).sizes().vec(), W.sizes().vec());
        const double ratio = objective(W, intDecode(q), H) / objective(W, intDecode(quantizeRtn(W, 4, int(gs))), H);
        QVERIFY2(ratio < 1.0, qPrintable(QString("act-order GPTQ/RTN ratio %1").arg(ratio)));
    }

    void identityHessianReproducesRtn_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("groupSize");
        QTest::addColumn<bool>("actOrder");
        QTest::addColumn<bool>("fp32");
        QTest::newRow("3-bit g32") << 3 << 32 << false << false;
        QTest::newRow("4-bit g64 fp32 H") << 4 << 64 << false << true;
        QTest::newRow("2-bit per-row") << 2 << 0 << false << false;
        QTest::newRow("4-bit g32 act-order") << 4 << 32 << true << false;
    }
    void identityHessianReproducesRtn() {
        // With H = I the inverse-Hessian factor is diagonal: no error feedback, so GPTQ is RTN.
        QFETCH(int, bits);
        QFETCH(int, groupSize);
        QFETCH(bool, actOrder);
        QFETCH(bool, fp32);
        const int64_t dIn = 128;
        auto W = randomWeight(40, dIn, 7);
        GptqOptions o;
        o.bits = bits;
        o.groupSize = groupSize;
        o.actOrder = actOrder;
        o.blockSize = 24;
        auto g = quantizeGptq(W, at::eye(dIn, fp32 ? at::kFloat : at::kDouble), o);
        auto r = quantizeRtn(W, bits, groupSize);
        QVERIFY(at::equal(g.qweight, r.qweight));
        QVERIFY(at::equal(g.scales, r.scales));
        QVERIFY(at::equal(g.zeros, r.zeros));
        QVERIFY(at::equal(g.groupIndex, r.groupIndex));
        QCOMPARE(g.groupSize, r.groupSize);
    }

    void blockSizeDoesNotChangeTheResult() {
        // Lazy batch updates are an exact reordering of the column-by-column algorithm.
        const int64_t dOut = 48, dIn = 192;
        auto W = randomWeight(dOut, dIn, 8);
        auto H = correlatedHessian(dIn, 1024, 9);
        GptqOptions o;
        o.bits = 3;
        o.groupSize = 32;
        o.blockSize = 1;
        auto ref = quantizeGptq(W, H, o);
        const double refObj = objective(W, intDecode(ref), H);
        for (int bs : {7, 32, 50, 128, 1000}) {
            o.blockSize = bs;
            auto q = quantizeGptq(W, H, o);
            const double agree = (q.qweight == ref.qweight).to(at::kDouble).mean().item<double>();
            const double obj = objective(W, intDecode(q), H);
            QVERIFY2(agree > 0.99 && std::abs(obj / refObj - 1) < 0.02,
                     qPrintable(QString("block %1: code agreement %2, objective ratio %3").arg(bs).arg(agree).arg(obj / refObj)));
        }
    }

    void deadInputsAreZeroedAndHandled() {
        const int64_t dIn = 64;
        auto W = randomWeight(16, dIn, 10);
        auto H = correlatedHessian(dIn, 512, 11);
        for (int64_t j : {3, 40}) {
            H.select(0, j).zero_();
            H.select(1, j).zero_();
        }
        for (bool act : {false, true}) {
            GptqOptions o;
            o.bits = 4;
            o.groupSize = 16;
            o.actOrder = act;
            auto q = quantizeGptq(W, H, o);
            auto D = intDecode(q);
            QVERIFY(at::isfinite(D).all().item<bool>());
            QVERIFY((D.select(1, 3) == 0).all().item<bool>());
            QVERIFY((D.select(1, 40) == 0).all().item<bool>());
        }
    }

    void rejectsBadOptions() {
        auto W = randomWeight(8, 64, 12);
        auto H = at::eye(64, at::kDouble);
        QVERIFY(throwsEngineError([&] { quantizeRtn(W, 1, 16); }));
        QVERIFY(throwsEngineError([&] { quantizeRtn(W, 9, 16); }));
        QVERIFY(throwsEngineError([&] { quantizeRtn(W, 4, 24); }));  // does not divide 64
        QVERIFY(throwsEngineError([&] { quantizeRtn(at::zeros({64}), 4, 16); }));
        GptqOptions o;
        o.bits = 1;
        QVERIFY(throwsEngineError([&] { quantizeGptq(W, H, o); }));
        o.bits = 9;
        QVERIFY(throwsEngineError([&] { quantizeGptq(W, H, o); }));
        o.bits = 4;
        o.groupSize = 48;
        QVERIFY(throwsEngineError([&] { quantizeGptq(W, H, o); }));
        o.groupSize = 16;
        QVERIFY(throwsEngineError([&] { quantizeGptq(W, at::eye(32, at::kDouble), o); }));  // wrong H shape
        QVERIFY(throwsEngineError([&] { quantizeGptq(W, -H, o); }));  // not positive definite
        o.blockSize = 0;
        QVERIFY(throwsEngineError([&] { quantizeGptq(W, H, o); }));
        // Boundary values are accepted.
        QCOMPARE(quantizeRtn(W, 2, 16).bits, 2);
        QCOMPARE(quantizeRtn(W, 8, -1).scales.size(1), int64_t(1));
    }

    void cancelStopsGptq() {
        auto W = randomWeight(16, 64, 13);
        auto H = correlatedHessian(64, 256, 14);
        CancelToken token;
        GptqOptions o;
        o.groupSize = 16;
        o.blockSize = 16;
        token.cancel();
        bool cancelled = false;
        try {
            quantizeGptq(W, H, o, &token);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        token.reset();
        auto q = quantizeGptq(W, H, o, &token);  // an uncancelled token lets it finish
        QCOMPARE(q.qweight.size(1), int64_t(64));
    }
};

QTEST_GUILESS_MAIN(TestIntQuantizers)
#include "tst_int_quantizers.moc"
