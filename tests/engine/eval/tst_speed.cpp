// measureDecodeSpeed on the real stories260K model: positive speeds, the kernel named, the prompt and
// decode lengths capped to the context, cancel honoured, bad input refused.
#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"

#include "shared_paths.h"

#include <thread>

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

    // Each job applies its runtime options on the thread that runs it: a fresh thread (whose own
    // LibTorch thread count is the default) reports exactly the count asked for, and perplexity too.
    void runtimeOptionsReachTheWorkerThread() {
        AQLM_REQUIRE_SHARED(kModel);
        for (int threads : {1, 2}) {
            SpeedReport speed;
            EvalReport eval;
            std::thread worker([&] {
                RuntimeOptions runtime;
                runtime.threads = threads;
                runtime.device = ComputeDevice::Cpu;
                speed = measureDecodeSpeed(sharedPath(kModel), 8, 4, nullptr, runtime);
                EvalRequest request;
                request.modelPath = sharedPath(kModel);
                request.dataPath = sharedPath("data/tinystories/tinystories_valid_head.txt");
                request.maxWindows = 1;
                request.runtime = runtime;
                eval = runPerplexity(request, {}, nullptr);
            });
            worker.join();
            QCOMPARE(speed.threads, threads);
            QCOMPARE(eval.threads, threads);
        }
        if (!cudaAvailable()) {  // asking for a GPU that is not there is refused, naming the cause
            RuntimeOptions cuda;
            cuda.device = ComputeDevice::Cuda;
            try {
                measureDecodeSpeed(sharedPath(kModel), 8, 4, nullptr, cuda);
                QFAIL("a CUDA job ran without CUDA");
            } catch (const EngineError& e) {
                QVERIFY2(std::string(e.what()).find("CUDA") != std::string::npos, e.what());
            }
        }
        QCOMPARE(parseComputeDevice("cpu"), ComputeDevice::Cpu);
        QVERIFY_THROWS_EXCEPTION(EngineError, parseComputeDevice("gpu"));
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
