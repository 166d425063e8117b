// estimateCompressionTime: what it measures adds up, follows the settings that change a run's length,
// and stops or fails like every other job. (How close it comes to real runs is measured in
// bench/quantize/estimate_vs_run.sh, not asserted: timings are not test material.)
#include "shared_paths.h"

#include "engine/api/compression_time.h"
#include "engine/api/engine_error.h"

#include <QtTest/QtTest>

using namespace aqlm;
using namespace aqlm::test;

namespace {

CompressionOptions quickAqlm() {
    CompressionOptions o;
    o.scheme = QuantScheme::parse("1x8g4");
    o.nsamples = 16;
    o.seqLen = 64;
    o.layer.maxEpochs = 20;
    o.finetuneEpochs = 2;
    o.runtime.threads = 1;
    return o;
}

std::string stories() { return sharedPath("models/stories260K/stories260K.bin"); }

}  // namespace

class TestCompressionTime : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void partsAddUpAndEpochsBoundTheRange() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        const CompressionTimeEstimate e = estimateCompressionTime(stories(), quickAqlm());
        QCOMPARE(e.threads, 1);
        QCOMPARE(e.maxEpochs, 20);
        QCOMPARE(e.expectedEpochs, kTypicalAqlmEpochs);
        QVERIFY(e.layerSeconds > 0 && e.forwardSeconds > 0 && e.finetuneSeconds > 0);
        const double parts = e.layerSeconds + e.forwardSeconds + e.finetuneSeconds;
        QVERIFY(qAbs(parts - e.expectedSeconds) <= 1e-9 * parts);
        QVERIFY(e.longestSeconds > e.expectedSeconds);
        QVERIFY(e.probeSeconds > 0);
    }

    void settingsThatChangeTheRunChangeTheEstimate() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        CompressionOptions o = quickAqlm();
        o.layer.relativeTolerance = 0;  // no early stop: every layer runs all its epochs
        CompressionTimeEstimate e = estimateCompressionTime(stories(), o);
        QCOMPARE(e.expectedEpochs, 20);
        QCOMPARE(e.longestSeconds, e.expectedSeconds);

        o = quickAqlm();
        o.finetuneEpochs = 0;
        QCOMPARE(estimateCompressionTime(stories(), o).finetuneSeconds, 0.0);

        o = quickAqlm();
        o.layer.maxEpochs = 3;  // fewer than the typical count: the limit decides
        e = estimateCompressionTime(stories(), o);
        QCOMPARE(e.expectedEpochs, 3);
        QCOMPARE(e.longestSeconds, e.expectedSeconds);

        o = quickAqlm();
        o.scheme = QuantScheme::parse("1x16g4");  // more codewords than any layer has groups: exact at once
        e = estimateCompressionTime(stories(), o);
        QCOMPARE(e.longestSeconds, e.expectedSeconds);  // every layer stops after its first epoch

        o = quickAqlm();
        o.method = QuantMethod::Rtn;
        o.bits = 4;
        o.groupSize = 4;  // 172 = 4 x 43
        e = estimateCompressionTime(stories(), o);
        QCOMPARE(e.expectedEpochs, 0);
        QCOMPARE(e.finetuneSeconds, 0.0);  // block fine-tuning is AQLM only
        QCOMPARE(e.longestSeconds, e.expectedSeconds);
    }

    void cancelStopsAndBadInputNamesTheFile() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        CancelToken cancel;
        cancel.cancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, estimateCompressionTime(stories(), quickAqlm(), &cancel));
        const QString missing = QDir::temp().filePath("no-such-model-folder");
        try {
            estimateCompressionTime(missing.toStdString(), quickAqlm());
            QFAIL("a missing model was measured");
        } catch (const EngineError& e) {
            QVERIFY2(QString(e.what()).contains("no-such-model-folder"), e.what());
        }
        CompressionOptions o = quickAqlm();
        o.scheme = QuantScheme::parse("1x8g48");  // 48 divides neither 64 nor 172
        QVERIFY_THROWS_EXCEPTION(EngineError, estimateCompressionTime(stories(), o));
    }
};

QTEST_GUILESS_MAIN(TestCompressionTime)
#include "tst_compression_time.moc"
