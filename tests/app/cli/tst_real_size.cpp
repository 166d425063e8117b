// Real-size behaviour that only shows in the process's memory: a model folder is described from
// its headers (no weight read) and run from its mapped 16-bit weights (no fp32 copy of the model).
// The aqlm process reports its own peaks (VmHWM, sampled RssAnon); they are compared against the
// weights' size on disk, never against a time.
#include "engine/model/model_loader.h"
#include "shared_paths.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

#include <filesystem>

using namespace aqlm;
using aqlm::test::sharedPath;

namespace {

struct CliRun {
    int exitCode = -1;
    QString out, err;
    nlohmann::json json;  // the last stdout line (--json)
};

CliRun runAqlm(const QStringList& args) {
    QProcess p;
    p.start(qEnvironmentVariable("AQLM_BIN", "build/bin") + "/aqlm", args);
    if (!p.waitForFinished(600000)) p.kill();
    CliRun r{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
             QString::fromUtf8(p.readAllStandardError()), {}};
    const QStringList lines = r.out.trimmed().split('\n');
    if (r.exitCode == 0 && !lines.isEmpty()) r.json = nlohmann::json::parse(lines.last().toStdString(), nullptr, false);
    return r;
}

int64_t folderBytes(const QString& dir) {
    int64_t total = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.toStdString()))
        if (e.is_regular_file()) total += static_cast<int64_t>(e.file_size());
    return total;
}

}  // namespace

class TestRealSize : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;

private Q_SLOTS:
    void initTestCase() {
        AQLM_REQUIRE_SHARED("models/llama2-tokenizer/tokenizer.model");
        // TinyLlama's shape cut to 4 layers: ~610 MB of fp16 weights, written by a streaming child.
        m_model = m_dir.filePath("tinyllama-4");
        const CliRun r = runAqlm({"make-synthetic", "--shape", "tinyllama", "--layers", "4", "--out", m_model, "--tokenizer",
                                  QString::fromStdString(sharedPath("models/llama2-tokenizer/tokenizer.model"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // Described from config.json, the safetensors header and the tokenizer: the process's whole
    // resident memory (its own VmHWM) stays far below the weights it describes.
    void infoReadsHeadersOnly() {
        const CliRun r = runAqlm({"info", m_model, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const nlohmann::json& j = r.json;
        QCOMPARE(j["dim"].get<int64_t>(), int64_t(2048));
        QCOMPARE(j["dtype"].get<std::string>(), std::string("fp16"));
        const int64_t weights = folderBytes(m_model);
        QCOMPARE(j["bytes"].get<int64_t>(), std::filesystem::file_size((m_model + "/model.safetensors").toStdString()));
        const int64_t peak = j["peak_rss_bytes"].get<int64_t>();
        QVERIFY(peak > 0);
        QVERIFY2(peak < weights / 2,
                 qPrintable(QString("info peaked at %1 MB for %2 MB of weights").arg(peak >> 20).arg(weights >> 20)));
    }

    // Generation uses the mapped fp16 weights in place: widening them to fp32 would need twice the
    // file in memory not backed by it. The whole process (mapped pages, LibTorch, buffers) stays
    // below 1.5x the weights, and its anonymous memory below half of them.
    void generationRunsFromTheMappedWeights() {
        const CliRun r = runAqlm({"generate", m_model, "--prompt", "Once upon a time", "--max-new-tokens", "4",
                                  "--threads", "2", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const int64_t weights = folderBytes(m_model);
        const int64_t peak = r.json["peak_rss_bytes"].get<int64_t>(), anonymous = r.json["peak_anonymous_bytes"].get<int64_t>();
        QVERIFY2(peak < weights + weights / 2,
                 qPrintable(QString("generate peaked at %1 MB for %2 MB of weights").arg(peak >> 20).arg(weights >> 20)));
        QVERIFY2(anonymous > 0 && anonymous < weights / 2 + (200 << 20),
                 qPrintable(QString("generate peaked at %1 MB of anonymous memory for %2 MB of weights")
                                .arg(anonymous >> 20).arg(weights >> 20)));
    }

    // A model folder loads with its dense layers in the stored precision.
    void loadedWeightsStayHalf() {
        const LoadedModel loaded = loadModel(m_model.toStdString());
        QCOMPARE(loaded.model->embedding().scalar_type(), at::kHalf);
        QCOMPARE(loaded.model->block(0).q->describe(), std::string("dense fp16"));
        QCOMPARE(loaded.model->config().ropeLayout, RopeLayout::RotateHalf);
        QCOMPARE(loaded.model->cacheType(), at::kHalf);
    }
};

QTEST_GUILESS_MAIN(TestRealSize)
#include "tst_real_size.moc"
