// Compression pipeline: bit accounting against the paper, input validation before any work, an
// end-to-end AQLM run on stories260K, and cancel + resume giving the uninterrupted result.
#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"
#include "engine/eval/perplexity.h"
#include "engine/io/safetensors.h"
#include "engine/io/text_file.h"
#include "engine/model/model_loader.h"
#include "engine/quant/bit_accounting.h"
#include "engine/api/memory_estimate.h"
#include "engine/quant/compression_pipeline.h"
#include "engine/runtime/threads.h"
#include "shared_paths.h"
#include "tiny_compression.h"

#include <QtTest/QtTest>
#include <c10/core/GradMode.h>

using namespace aqlm;
using namespace aqlm::test;

namespace {

const char* kModel = "models/stories260K/stories260K.bin";
const char* kCalib = kTinyCalibration;

CompressionOptions tinyOptions() { return tinyCompressionOptions(); }

// Cancels the run once `afterBlock` is finished, and records what it saw.
class RecordingObserver : public ProgressObserver {
public:
    CancelToken* cancel = nullptr;
    int64_t cancelAfterBlock = -1;
    bool cancelAtFirstEpoch = false;
    std::vector<LayerReport> layers;
    int epochs = 0, finetuneEpochs = 0, blocksDone = 0;
    void onEpoch(const EpochReport&) override {
        ++epochs;
        if (cancel && cancelAtFirstEpoch) cancel->cancel();
    }
    void onLayerDone(const LayerReport& r) override { layers.push_back(r); }
    void onFinetuneEpoch(int64_t, int, double, double) override { ++finetuneEpochs; }
    void onBlockDone(int64_t block, int64_t, double, double) override {
        ++blocksDone;
        if (cancel && block == cancelAfterBlock) cancel->cancel();
    }
};

ModelConfig llama2_7b() {
    ModelConfig c;
    c.dim = 4096;
    c.hiddenDim = 11008;
    c.nLayers = 32;
    c.nHeads = 32;
    c.nKvHeads = 32;
    c.vocabSize = 32000;
    c.maxSeqLen = 4096;
    c.tiedEmbeddings = false;
    return c;
}

void expectError(const std::function<void()>& f, const QString& words) {
    try {
        f();
        QFAIL("no error");
    } catch (const EngineError& e) {
        QVERIFY2(QString(e.what()).contains(words, Qt::CaseInsensitive), e.what());
    }
}

}  // namespace

class TestCompression : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setThreadCount(0); }

    void bitsMatchThePaperForLlama2_7b_data() {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<double>("expected");
        // AQLM.md section 1: Llama-2-7B averages.
        QTest::newRow("1x16g8") << "1x16g8" << 2.29;
        QTest::newRow("2x8g8") << "2x8g8" << 2.006;
        QTest::newRow("2x12g8") << "2x12g8" << 3.04;
        QTest::newRow("1x15g8") << "1x15g8" << 2.02;
        QTest::newRow("8x8g32") << "8x8g32" << 2.04;
    }
    void bitsMatchThePaperForLlama2_7b() {
        QFETCH(QString, scheme);
        QFETCH(double, expected);
        CompressionOptions o;
        o.scheme = QuantScheme::parse(scheme.toStdString());
        const BitBudget b = computeBitBudget(llama2_7b(), o);
        QVERIFY2(std::abs(b.avgBits - expected) < 0.006, qPrintable(QString::number(b.avgBits, 'f', 4)));
        QVERIFY(b.modelBits > b.avgBits);  // fp16 embeddings and head cost extra
    }

    void estimateWarnsWhenCodebooksDominate() {
        AQLM_REQUIRE_SHARED("models/reference-7M/hf");
        CompressionOptions o;
        o.scheme = QuantScheme::parse("1x16g8");  // a 1 MiB codebook per 256-wide layer
        const BitEstimate heavy = estimateBits(sharedPath("models/reference-7M/hf"), o);
        QVERIFY(heavy.codebookShare > 0.5);
        QVERIFY(!heavy.advice.empty());
        o.scheme = QuantScheme::parse("1x8g4");
        const BitEstimate light = estimateBits(sharedPath("models/reference-7M/hf"), o);
        QVERIFY(light.advice.empty());
        QVERIFY(light.avgBits < heavy.avgBits);
        QVERIFY(light.predictedBytes > 0);
        expectError([] { estimateBits("/nonexistent/model", CompressionOptions{}); }, "/nonexistent/model");
    }

    void schemeParsing() {
        QCOMPARE(QuantScheme::parse("2x8 g8").toString(), std::string("2x8g8"));
        QCOMPARE(QuantScheme::parse("1x16G8").codebookSize(), int64_t(65536));
        expectError([] { QuantScheme::parse("2bit"); }, "unknown scheme");
        expectError([] { QuantScheme::parse("1x24g8"); }, "bits per codebook");
    }

    void badInputFailsBeforeAnyWork() {
        AQLM_REQUIRE_SHARED(kModel);
        QTemporaryDir dir;
        const std::string model = sharedPath(kModel);
        auto o = tinyOptions();
        o.scheme = QuantScheme::parse("2x8g8");  // 8 does not divide 172
        expectError([&] { compressModel(model, dir.filePath("a").toStdString(), o); }, "does not divide");
        QVERIFY(!QFileInfo::exists(dir.filePath("a")));

        o = tinyOptions();
        QFile shortText(dir.filePath("short.txt"));
        QVERIFY(shortText.open(QIODevice::WriteOnly));
        shortText.write("Once upon a time.");
        shortText.close();
        o.calibrationFiles = {dir.filePath("short.txt").toStdString()};
        expectError([&] { compressModel(model, dir.filePath("b").toStdString(), o); }, "shorter than one window");

        o = tinyOptions();
        QDir().mkpath(dir.filePath("busy"));
        QFile other(dir.filePath("busy/keep.txt"));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write("precious");
        other.close();
        expectError([&] { compressModel(model, dir.filePath("busy").toStdString(), o); }, "holds something else");
        QCOMPARE(QDir(dir.filePath("busy")).entryList(QDir::Files | QDir::NoDotAndDotDot).size(), 1);

        expectError([&] { o.method = parseQuantMethod("awq"); }, "unknown compression method");
    }

    void compressesRunsAndResumes() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kCalib);
        QTemporaryDir dir;
        const std::string model = sharedPath(kModel);
        const std::string straight = dir.filePath("straight").toStdString();
        const std::string resumed = dir.filePath("resumed").toStdString();

        RecordingObserver observer;
        const CompressionSummary summary = compressModel(model, straight, tinyOptions(), &observer);
        QCOMPARE(observer.layers.size(), size_t(5 * 7));
        QCOMPARE(summary.layers.size(), size_t(5 * 7));
        QVERIFY(observer.epochs >= 5 * 7);
        QVERIFY(observer.finetuneEpochs >= 5);
        for (const auto& l : summary.layers) QVERIFY2(l.relError > 0 && l.relError < 1.0, l.name.c_str());
        // 1x8g4 codes cost 2 bits; on 64-wide layers the fp16 codebooks add several more.
        QVERIFY(summary.avgBits > 2.0);
        double bits = 0, params = 0;
        for (const auto& l : summary.layers) {
            bits += l.bits * double(l.dOut * l.dIn);
            params += double(l.dOut * l.dIn);
        }
        QVERIFY(std::abs(summary.avgBits - bits / params) < 1e-9);
        QVERIFY(summary.modelBits > summary.avgBits);
        QVERIFY(summary.bytes > 0);

        // The folder runs, and quantization costs perplexity but not everything.
        auto original = loadModel(model);
        auto quantized = loadModel(straight);
        QVERIFY(quantized.info.format.find("aqlm") != std::string::npos);
        const auto text = readTextFile(sharedPath("data/tinystories/tinystories_valid_head.txt")).substr(0, 40000);
        PerplexityOptions eval;
        eval.seqLen = 128;
        c10::NoGradGuard noGrad;
        const double base = evaluatePerplexity(*original.model, original.tokenizer->encode(text, true), eval).perplexity;
        const double ppl = evaluatePerplexity(*quantized.model, quantized.tokenizer->encode(text, true), eval).perplexity;
        qInfo("stories260K fp32 ppl %.3f, 1x8g4 ppl %.3f", base, ppl);
        QVERIFY(ppl > base * 0.98 && ppl < base * 4);

        // Cancel after block 2, refuse to continue without resuming, then resume.
        CancelToken cancel;
        RecordingObserver interrupted;
        interrupted.cancel = &cancel;
        interrupted.cancelAfterBlock = 1;
        QVERIFY_EXCEPTION_THROWN(compressModel(model, resumed, tinyOptions(), &interrupted, &cancel), Cancelled);
        QCOMPARE(interrupted.blocksDone, 2);
        expectError([&] { compressModel(model, resumed, tinyOptions()); }, "resume the run");
        auto o = tinyOptions();
        o.resume = true;
        RecordingObserver rest;
        const CompressionSummary resumedSummary = compressModel(model, resumed, o, &rest);
        QCOMPARE(resumedSummary.resumedBlocks, int64_t(2));
        QCOMPARE(rest.layers.size(), size_t(3 * 7));
        QCOMPARE(resumedSummary.layers.size(), size_t(5 * 7));

        SafetensorsFile a(straight + "/model.safetensors"), b(resumed + "/model.safetensors");
        QCOMPARE(a.names(), b.names());
        for (const auto& name : a.names()) {
            const auto& ta = a.tensor(name);
            const auto& tb = b.tensor(name);
            QVERIFY2(ta.byteSize == tb.byteSize && std::memcmp(ta.data, tb.data, ta.byteSize) == 0, name.c_str());
        }
        // A finished folder is never overwritten.
        expectError([&] { compressModel(model, straight, o); }, "finished");

        // Calibration activations spilled to scratch files give the same model, byte for byte.
        auto spilling = tinyOptions();
        spilling.activationMemoryBudget = 1;  // nothing fits in memory: every activation tensor spills
        const std::string spilled = dir.filePath("spilled").toStdString();
        compressModel(model, spilled, spilling);
        SafetensorsFile c(spilled + "/model.safetensors");
        QCOMPARE(a.names(), c.names());
        for (const auto& name : a.names())
            QVERIFY2(std::memcmp(a.tensor(name).data, c.tensor(name).data, a.tensor(name).byteSize) == 0, name.c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(spilled + "/.aqlm-run/scratch/activations-0.bin")));
    }

    // A quit or crash during the first block leaves at most the run's own folder: resume continues
    // from block 0 instead of refusing the folder as "holds something else".
    void resumesAfterAStopInTheFirstBlock() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kCalib);
        QTemporaryDir dir;
        const std::string model = sharedPath(kModel);
        const QString out = dir.filePath("crashed");
        QVERIFY(QDir().mkpath(out + "/.aqlm-run/scratch"));  // what a crash before the first state left
        auto o = tinyOptions();
        o.resume = true;
        CancelToken cancel;
        RecordingObserver stopped;
        stopped.cancel = &cancel;
        stopped.cancelAtFirstEpoch = true;
        QVERIFY_EXCEPTION_THROWN(compressModel(model, out.toStdString(), o, &stopped, &cancel), Cancelled);
        QCOMPARE(stopped.blocksDone, 0);
        QVERIFY(QFileInfo::exists(out + "/.aqlm-run/run.json"));  // written before the first block
        expectError([&] { compressModel(model, out.toStdString(), tinyOptions()); }, "resume the run");
        RecordingObserver rest;
        const CompressionSummary summary = compressModel(model, out.toStdString(), o, &rest);
        QCOMPARE(summary.resumedBlocks, int64_t(0));
        QCOMPARE(rest.layers.size(), size_t(5 * 7));
        QVERIFY(QFileInfo::exists(out + "/config.json"));
    }

    // A job that cannot fit is refused before any work, saying what would make it fit.
    void oversizedCompressionIsRefusedWithAdvice() {
        ModelInfo llama70b;
        llama70b.dim = 8192;
        llama70b.hiddenDim = 28672;
        llama70b.nLayers = 80;
        llama70b.nHeads = 64;
        llama70b.nKvHeads = 8;
        llama70b.vocabSize = 32000;
        llama70b.contextLength = 4096;
        llama70b.parameters = 68'976'648'192;
        llama70b.bytesOnDisk = 137'953'296'384;
        llama70b.dtype = "fp16";
        CompressionOptions o;
        o.nsamples = 1024;
        o.seqLen = 4096;
        o.activationMemoryBudget = -1;  // keep every activation in memory
        MemoryEstimate e = estimateCompressionMemory(llama70b, o);
        QVERIFY(e.workingBytes > 2 * 1024 * 8192LL * 4096 * 4);  // inputs and targets alone: 275 GB
        e.availableBytes = 24LL << 30;
        QVERIFY(!e.fits());
        expectError([&] { requireMemory(e, "/models/llama-70b", "This compression"); }, "needs about");
        // Spilling past a budget makes the same job fit where its other needs do.
        o.activationMemoryBudget = 4LL << 30;
        MemoryEstimate spilled = estimateCompressionMemory(llama70b, o);
        QVERIFY(spilled.workingBytes < e.workingBytes);
        // A chat needs the weights plus a KV cache that grows with the context.
        const MemoryEstimate shortChat = estimateChatMemory(llama70b, 512), longChat = estimateChatMemory(llama70b, 4096);
        QVERIFY(shortChat.totalBytes() > llama70b.bytesOnDisk);
        QCOMPARE(longChat.workingBytes - shortChat.workingBytes, 2 * 80 * 1024 * (4096 - 512) * int64_t(2));
    }

    void baselinesRun() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kCalib);
        QTemporaryDir dir;
        for (const char* method : {"rtn", "gptq"}) {
            auto o = tinyOptions();
            o.method = parseQuantMethod(method);
            o.bits = 4;
            o.groupSize = 4;  // divides 64 and 172
            const std::string out = dir.filePath(method).toStdString();
            const auto s = compressModel(sharedPath(kModel), out, o);
            QCOMPARE(s.layers.size(), size_t(35));
            auto loaded = loadModel(out);
            QVERIFY(loaded.info.format.find(method) != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestCompression)
#include "tst_compression.moc"
