// The model library's speed measurements: round trip, best per model and device, cascade on delete.
#include "engine/library/model_library.h"

#include <QtTest/QtTest>

using namespace aqlm;

namespace {
ModelRecord model(const std::string& path) {
    ModelRecord m;
    m.name = path;
    m.path = path;
    m.format = "hf";
    return m;
}

SpeedRecord speed(int64_t modelId, const std::string& device, double decode, int64_t createdAt) {
    SpeedRecord s;
    s.modelId = modelId;
    s.device = device;
    s.threads = 8;
    s.kernel = "aqlm 2x8g8";
    s.promptTokens = 64;
    s.newTokens = 32;
    s.prefillTokensPerSecond = decode * 10;
    s.decodeTokensPerSecond = decode;
    s.createdAt = createdAt;
    return s;
}
}  // namespace

class TestLibrarySpeed : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripAndBest() {
        QTemporaryDir dir;
        ModelLibrary library(dir.filePath("speed.db").toStdString());
        const int64_t a = library.addModel(model("/m/a"));
        const int64_t b = library.addModel(model("/m/b"));
        const int64_t first = library.addSpeedMeasurement(speed(a, "cpu", 120.5, 1'700'000'000));
        const int64_t fastest = library.addSpeedMeasurement(speed(a, "cpu", 150.0, 1'700'000'100));
        const int64_t gpu = library.addSpeedMeasurement(speed(a, "cuda", 900.0, 1'700'000'200));

        const auto all = library.listSpeedMeasurements(a);
        QCOMPARE(all.size(), size_t(3));
        QCOMPARE(all[0].id, first);
        QCOMPARE(all[0].modelId, a);
        QCOMPARE(all[0].device, std::string("cpu"));
        QCOMPARE(all[0].threads, int64_t(8));
        QCOMPARE(all[0].kernel, std::string("aqlm 2x8g8"));
        QCOMPARE(all[0].promptTokens, int64_t(64));
        QCOMPARE(all[0].newTokens, int64_t(32));
        QCOMPARE(all[0].prefillTokensPerSecond, 1205.0);
        QCOMPARE(all[0].decodeTokensPerSecond, 120.5);
        QCOMPARE(all[0].createdAt, int64_t(1'700'000'000));

        QCOMPARE(library.bestSpeed(a)->id, gpu);
        QCOMPARE(library.bestSpeed(a, "cpu")->id, fastest);
        QVERIFY(!library.bestSpeed(b));
        QVERIFY(library.listSpeedMeasurements(b).empty());

        // created_at 0 means now; deleting the model removes its measurements.
        const int64_t stamped = library.addSpeedMeasurement(speed(b, "cpu", 10, 0));
        QVERIFY(library.bestSpeed(b)->createdAt > 1'700'000'000);
        QCOMPARE(library.bestSpeed(b)->id, stamped);
        QVERIFY(library.deleteModel(a));
        QVERIFY(library.listSpeedMeasurements(a).empty());
    }
};

QTEST_GUILESS_MAIN(TestLibrarySpeed)
#include "tst_library_speed.moc"
