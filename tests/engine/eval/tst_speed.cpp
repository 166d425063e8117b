// measureDecodeSpeed on the real stories260K model: positive speeds, the kernel named, the prompt and
// decode lengths capped to the context, cancel honoured, bad input refused.
#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"

#include "shared_paths.h"

#include <QtTest/QtTest>

using namespace aqlm;
using namespace aqlm::test;

namespace {
const char* kModel = "models/stories260K/stories260K.bin";
}

class TestSpeed : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void measuresStories260K() {
        AQLM_REQUIRE_SHARED(kModel);
        const SpeedReport r = measureDecodeSpeed(sharedPath(kModel), 16, 8, nullptr);
        QVERIFY(r.prefillTokensPerSecond > 0);
        QVERIFY(r.decodeTokensPerSecond > 0);
        QCOMPARE(r.promptTokens, int64_t(16));
        QCOMPARE(r.newTokens, int64_t(8));
        QVERIFY(r.threads >= 1);
        QVERIFY(r.runs >= 1);
        QCOMPARE(r.kernel, std::string("dense fp32"));
        QCOMPARE(r.device, std::string("cpu"));
        qInfo("stories260K: prefill %.0f tok/s, decode %.0f tok/s, %d threads, %s", r.prefillTokensPerSecond,
              r.decodeTokensPerSecond, r.threads, r.kernel.c_str());
    }

    void capsToTheContext() {
        AQLM_REQUIRE_SHARED(kModel);
        // stories260K has a 512-token context: 5000 + 400 tokens cannot fit.
        const SpeedReport r = measureDecodeSpeed(sharedPath(kModel), 5000, 400, nullptr);
        QVERIFY(r.promptTokens + r.newTokens <= 512);
        QCOMPARE(r.newTokens, int64_t(256));
        QVERIFY(r.decodeTokensPerSecond > 0);
    }

    void cancelledAndBadInput() {
        AQLM_REQUIRE_SHARED(kModel);
        CancelToken cancel;
        cancel.cancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, measureDecodeSpeed(sharedPath(kModel), 8, 4, &cancel));
        QVERIFY_THROWS_EXCEPTION(EngineError, measureDecodeSpeed("/nonexistent/model.bin", 8, 4, nullptr));
        QVERIFY_THROWS_EXCEPTION(EngineError, measureDecodeSpeed(sharedPath(kModel), 8, 1, nullptr));
    }
};

QTEST_GUILESS_MAIN(TestSpeed)
#include "tst_speed.moc"
