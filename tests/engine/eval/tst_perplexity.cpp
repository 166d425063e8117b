// Perplexity protocol on a random model: windows, batching, truncation, errors, running reports.
#include "engine/api/engine_error.h"
#include "engine/eval/perplexity.h"
#include "tiny_model.h"

#include <QtTest/QtTest>
#include <c10/core/GradMode.h>

using namespace aqlm;
using namespace aqlm::test;

namespace {

std::vector<int32_t> randomTokens(int64_t n) {
    auto t = at::randint(0, 64, {n}, at::kLong);
    std::vector<int32_t> out;
    for (int64_t i = 0; i < n; ++i) out.push_back(static_cast<int32_t>(t[i].item<int64_t>()));
    return out;
}

}  // namespace

class TestPerplexity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { c10::GradMode::set_enabled(false); }

    void equalsMeanOfIndependentWindows() {
        auto model = makeTinyModel();
        const auto tokens = randomTokens(16 * 5 + 7);  // 5 full windows, 7 tokens dropped
        PerplexityOptions options;
        options.seqLen = 16;
        const EvalReport report = evaluatePerplexity(*model, tokens, options);
        QCOMPARE(report.windows, int64_t(5));
        QCOMPARE(report.predictions, int64_t(5 * 15));
        double sum = 0;
        for (int w = 0; w < 5; ++w) {
            std::vector<int32_t> window(tokens.begin() + w * 16, tokens.begin() + (w + 1) * 16);
            sum += sequenceNll(*model, window).first;
        }
        QVERIFY(std::abs(report.meanNll - sum / 75) < 1e-5);
        QVERIFY(std::abs(report.perplexity / std::exp(sum / 75) - 1) < 1e-5);
        QVERIFY(report.stdError > 0);
    }

    void batchingDoesNotChangeTheResult() {
        auto model = makeTinyModel();
        const auto tokens = randomTokens(200);
        PerplexityOptions one, many;
        one.seqLen = many.seqLen = 20;
        one.batchWindows = 1;
        many.batchWindows = 3;
        QVERIFY(std::abs(evaluatePerplexity(*model, tokens, one).meanNll -
                         evaluatePerplexity(*model, tokens, many).meanNll) < 1e-6);
    }

    void maxWindowsAndRunningReports() {
        auto model = makeTinyModel();
        const auto tokens = randomTokens(300);
        PerplexityOptions options;
        options.seqLen = 10;
        options.maxWindows = 6;
        options.batchWindows = 2;
        std::vector<int64_t> seen;
        const auto report = evaluatePerplexity(*model, tokens, options, [&](const EvalReport& r) { seen.push_back(r.windows); });
        QCOMPARE(report.windows, int64_t(6));
        QCOMPARE(seen, (std::vector<int64_t>{2, 4, 6}));
    }

    void seqLenIsCappedByContext() {
        auto model = makeTinyModel();  // context 32
        PerplexityOptions options;
        options.seqLen = 1000;
        QCOMPARE(evaluatePerplexity(*model, randomTokens(100), options).seqLen, int64_t(32));
    }

    void tooFewTokensIsAClearError() {
        auto model = makeTinyModel();
        PerplexityOptions options;
        options.seqLen = 16;
        try {
            evaluatePerplexity(*model, randomTokens(10), options);
            QFAIL("scored a text shorter than a window");
        } catch (const EngineError& e) {
            QVERIFY(QString(e.what()).contains("fewer than one window"));
        }
    }

    void cancelStopsEvaluation() {
        auto model = makeTinyModel();
        CancelToken cancel;
        cancel.cancel();
        PerplexityOptions options;
        options.seqLen = 16;
        QVERIFY_EXCEPTION_THROWN(evaluatePerplexity(*model, randomTokens(100), options, {}, &cancel), Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestPerplexity)
#include "tst_perplexity.moc"
