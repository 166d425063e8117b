// llama2.c v0 checkpoint reader: real file, synthetic untied file, and every kind of broken file.
#include "engine/api/engine_error.h"
#include "engine/io/llama2c_checkpoint.h"
#include "shared_paths.h"

#include <QtTest/QtTest>

#include <fstream>
#include <vector>

using namespace aqlm;

namespace {

// Writes a checkpoint with the given header and floatCount zero-filled floats.
void writeCheckpoint(const QString& path, std::vector<int32_t> header, int64_t floatCount) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(header.data()), static_cast<std::streamsize>(header.size() * 4));
    std::vector<float> zeros(static_cast<size_t>(std::max<int64_t>(floatCount, 0)), 0.5f);
    out.write(reinterpret_cast<const char*>(zeros.data()), static_cast<std::streamsize>(zeros.size() * 4));
}

// dim 8, hidden 16, 2 layers, 2 heads, 1 kv head, vocab 32, seq 4: float count of the v0 layout.
int64_t tinyFloats(bool untied) {
    const int64_t D = 8, F = 16, L = 2, V = 32, KV = 4, S = 4, hs = 4;
    return V * D + L * D + L * D * D + 2 * L * KV * D + L * D * D + L * D + 3 * L * F * D + D + S * hs +
           (untied ? V * D : 0);
}

}  // namespace

class TestLlama2cCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsStories260k() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        Llama2cCheckpoint ckpt(aqlm::test::sharedPath("models/stories260K/stories260K.bin"));
        const ModelConfig& c = ckpt.config();
        QCOMPARE(c.dim, int64_t(64));
        QCOMPARE(c.hiddenDim, int64_t(172));
        QCOMPARE(c.nLayers, int64_t(5));
        QCOMPARE(c.nHeads, int64_t(8));
        QCOMPARE(c.nKvHeads, int64_t(4));
        QCOMPARE(c.vocabSize, int64_t(512));
        QCOMPARE(c.maxSeqLen, int64_t(512));
        QVERIFY(c.tiedEmbeddings);
        QCOMPARE(ckpt.tensors().size(), size_t(2 + 9 * 5));
        QVERIFY(!ckpt.tensors().count("lm_head.weight"));
        const auto& wk = ckpt.tensors().at("model.layers.4.self_attn.k_proj.weight");
        QCOMPARE(wk.shape, (std::vector<int64_t>{32, 64}));
        // The final norm sits right before the RoPE tables: its values are RMSNorm gains, not zeros.
        const auto& norm = ckpt.tensors().at("model.norm.weight");
        float sum = 0;
        for (int i = 0; i < 64; ++i) sum += norm.data[i];
        QVERIFY(sum > 1.0f);
    }

    void negativeVocabMeansUntiedClassifier() {
        QTemporaryDir dir;
        const QString path = dir.filePath("untied.bin");
        writeCheckpoint(path, {8, 16, 2, 2, 1, -32, 4}, tinyFloats(true));
        Llama2cCheckpoint ckpt(path.toStdString());
        QVERIFY(!ckpt.config().tiedEmbeddings);
        QCOMPARE(ckpt.config().vocabSize, int64_t(32));
        QCOMPARE(ckpt.tensors().at("lm_head.weight").shape, (std::vector<int64_t>{32, 8}));
    }

    void rejectsBrokenFiles_data() {
        QTest::addColumn<QVector<int>>("header");
        QTest::addColumn<qint64>("floats");
        QTest::addColumn<QString>("expectedWords");
        const QVector<int> good{8, 16, 2, 2, 1, 32, 4};
        QTest::newRow("truncated") << good << qint64(tinyFloats(false) - 10) << "truncated";
        QTest::newRow("trailing bytes") << good << qint64(tinyFloats(false) + 3) << "does not match";
        QTest::newRow("zero dim") << QVector<int>{0, 16, 2, 2, 1, 32, 4} << qint64(100) << "dim";
        QTest::newRow("heads do not divide dim") << QVector<int>{8, 16, 2, 3, 1, 32, 4} << qint64(100) << "head";
        QTest::newRow("kv heads do not divide heads") << QVector<int>{8, 16, 2, 2, 3, 32, 4} << qint64(100) << "head";
        QTest::newRow("absurd layers") << QVector<int>{8, 16, 1000000, 2, 1, 32, 4} << qint64(100) << "layer";
        QTest::newRow("header only half there") << QVector<int>{8, 16, 2} << qint64(0) << "header";
    }

    void rejectsBrokenFiles() {
        QFETCH(QVector<int>, header);
        QFETCH(qint64, floats);
        QFETCH(QString, expectedWords);
        QTemporaryDir dir;
        const QString path = dir.filePath("broken.bin");
        writeCheckpoint(path, std::vector<int32_t>(header.begin(), header.end()), floats);
        try {
            Llama2cCheckpoint ckpt(path.toStdString());
            QFAIL("accepted a broken checkpoint");
        } catch (const EngineError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(path), qPrintable(message));
            QVERIFY2(message.contains(expectedWords, Qt::CaseInsensitive), qPrintable(message));
        }
    }

    void missingFileNamesThePath() {
        try {
            Llama2cCheckpoint ckpt("/nonexistent/model.bin");
            QFAIL("opened a missing file");
        } catch (const EngineError& e) {
            QVERIFY(QString(e.what()).contains("/nonexistent/model.bin"));
        }
    }
};

QTEST_GUILESS_MAIN(TestLlama2cCheckpoint)
#include "tst_llama2c_checkpoint.moc"
