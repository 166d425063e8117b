// Real-size behaviour that only shows in the process's memory: a model folder is described from
// its headers (no weight read) and run from its mapped 16-bit weights (no fp32 copy of the model).
// The numbers are compared against the weights' size on disk, never against a time.
#include "engine/model/model_loader.h"
#include "engine/quant/quantized_checkpoint.h"
#include "shared_paths.h"
#include "tiny_model.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <filesystem>

using namespace aqlm;
using aqlm::test::sharedPath;

namespace {

struct ChildRun {
    int exitCode = -1;
    QString out, err;
    int64_t peakBytes = 0;  // ru_maxrss of the child (resident: its mapped file pages included)
};

// Runs `aqlm` in a child process that is this test's only living child, and reads its peak RSS.
ChildRun runAqlmMeasured(const QStringList& args) {
    QProcess p;
    p.start(qEnvironmentVariable("AQLM_BIN", "build/bin") + "/aqlm", args);
    if (!p.waitForFinished(600000)) p.kill();
    struct rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);  // the largest of the children waited for so far
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()), int64_t(usage.ru_maxrss) * 1024};
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
        // 4 layers of width 1024 with a 32000-piece vocabulary: ~230 MB of fp16 weights.
        ModelConfig c = test::tinyConfig();
        c.dim = 1024;
        c.hiddenDim = 2816;
        c.nLayers = 4;
        c.nHeads = 8;
        c.nKvHeads = 8;
        c.vocabSize = 32000;
        c.maxSeqLen = 512;
        c.tiedEmbeddings = false;
        c.ropeLayout = RopeLayout::RotateHalf;
        m_model = m_dir.filePath("synthetic-1024");
        writeHfModel(*test::makeTinyModel(c), m_model.toStdString(), sharedPath("models/llama2-tokenizer/tokenizer.model"));
    }

    // Described from config.json, the safetensors header and the tokenizer: the child's whole
    // resident memory stays far below the weights it describes.
    void infoReadsHeadersOnly() {
        const ChildRun r = runAqlmMeasured({"info", m_model, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto j = nlohmann::json::parse(r.out.trimmed().split('\n').last().toStdString());
        QCOMPARE(j["dim"].get<int64_t>(), int64_t(1024));
        QCOMPARE(j["dtype"].get<std::string>(), std::string("fp16"));
        const int64_t weights = folderBytes(m_model);
        QCOMPARE(j["bytes"].get<int64_t>(), std::filesystem::file_size((m_model + "/model.safetensors").toStdString()));
        QVERIFY2(r.peakBytes < weights / 2,
                 qPrintable(QString("info peaked at %1 MB for %2 MB of weights").arg(r.peakBytes >> 20).arg(weights >> 20)));
    }

    // Generation uses the mapped fp16 weights in place: widening them to fp32 would need twice
    // the file in anonymous memory on top of the mapped pages.
    void generationRunsFromTheMappedWeights() {
        const ChildRun r = runAqlmMeasured({"generate", m_model, "--prompt", "Once upon a time", "--max-new-tokens", "4",
                                            "--threads", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const int64_t weights = folderBytes(m_model);
        QVERIFY2(r.peakBytes < weights + weights / 2,
                 qPrintable(QString("generate peaked at %1 MB for %2 MB of weights").arg(r.peakBytes >> 20).arg(weights >> 20)));
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
