// The `aqlm` command end to end: JSON output, streaming, and clear errors with non-zero exit codes.
#include "golden_file.h"
#include "shared_paths.h"

#include <QtTest/QtTest>
#include <nlohmann/json.hpp>

using namespace aqlm::test;

namespace {

struct CliResult {
    int exitCode = -1;
    QString out, err;
    nlohmann::json lastJson() const {
        const QStringList lines = out.trimmed().split('\n');
        return nlohmann::json::parse(lines.last().toStdString());
    }
};

CliResult runAqlm(const QStringList& args) {
    QProcess p;
    const QString bin = qEnvironmentVariable("AQLM_BIN", "build/bin") + "/aqlm";
    p.start(bin, args);
    if (!p.waitForFinished(300000)) p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString shared(const char* relative) { return QString::fromStdString(sharedPath(relative)); }

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void versionAndHelp() {
        auto r = runAqlm({"--version"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("aqlm "));
        r = runAqlm({"--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("perplexity MODEL"));
        QVERIFY(runAqlm({"frobnicate"}).exitCode != 0);
    }

    void infoReportsTheArchitecture() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        auto r = runAqlm({"info", shared("models/stories260K/stories260K.bin"), "--json"});
        QCOMPARE(r.exitCode, 0);
        auto j = r.lastJson();
        QCOMPARE(j["dim"].get<int>(), 64);
        QCOMPARE(j["layers"].get<int>(), 5);
        QCOMPARE(j["kv_heads"].get<int>(), 4);
        QCOMPARE(j["vocab"].get<int>(), 512);
        QCOMPARE(j["bytes"].get<int>(), 1056540);
        QCOMPARE(j["format"].get<std::string>(), std::string("llama2.c v0"));
        QVERIFY(r.out.contains("parameters:"));
    }

    void generateStreamsGreedyTokens() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        auto r = runAqlm({"generate", shared("models/stories260K/stories260K.bin"), "--prompt", "Once upon a time",
                          "--max-new-tokens", "20", "--threads", "1", "--json"});
        QCOMPARE(r.exitCode, 0);
        auto j = r.lastJson();
        const QString golden = readGolden(sharedPath("golden/stories260K.txt"));
        const int start = golden.indexOf('\n', golden.indexOf("Full token sequence"));
        auto expected = parseIds(golden.mid(start, golden.indexOf("Decoded text") - start));
        expected.resize(25);
        QCOMPARE(j["tokens"].get<std::vector<int32_t>>(), expected);
        QVERIFY(r.out.startsWith("Once upon a time, there was a little girl"));
        QVERIFY(r.err.contains("tok/s"));
        QVERIFY(j["tokens_per_second"].get<double>() > 0);
    }

    void perplexityJson() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        auto r = runAqlm({"perplexity", shared("models/stories260K/stories260K.bin"), "--data",
                          shared("data/tinystories/tinystories_valid_head.txt"), "--seq-len", "128", "--max-windows", "6", "--json"});
        QCOMPARE(r.exitCode, 0);
        auto j = r.lastJson();
        QCOMPARE(j["windows"].get<int>(), 6);
        QCOMPARE(j["predictions"].get<int>(), 6 * 127);
        const double ppl = j["perplexity"].get<double>();
        QVERIFY2(ppl > 2.0 && ppl < 10.0, qPrintable(QString::number(ppl)));  // the model's loss is ~1.3 nats
        QVERIFY(r.err.contains("ppl"));
    }

    void bitsBeforeAnyRun() {
        AQLM_REQUIRE_SHARED("models/reference-7M/model.bin");
        auto r = runAqlm({"bits", shared("models/reference-7M/model.bin"), "--scheme", "2x8g8", "--json"});
        QCOMPARE(r.exitCode, 0);
        auto j = r.lastJson();
        // 7 linears x 8 layers; bits/param = codes 2 + codebooks and scales amortised per layer.
        QCOMPARE(j["quantized_parameters"].get<int64_t>(), int64_t(6291456));
        QVERIFY(j["avg_bits"].get<double>() > 2.0 && j["avg_bits"].get<double>() < 3.0);
        QVERIFY(j["model_bits"].get<double>() > j["avg_bits"].get<double>());
        r = runAqlm({"bits", shared("models/reference-7M/model.bin"), "--scheme", "1x12g8"});
        QVERIFY(r.out.contains("codebooks outweigh"));
    }

    void quantizeThenUseTheFolder() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        QTemporaryDir dir;
        const QString out = dir.filePath("q");
        auto r = runAqlm({"quantize", shared("models/stories260K/stories260K.bin"), "--out", out, "--scheme", "2x6g4",
                          "--calib", shared("data/tinystories/tinystories_train_head_2MiB.txt"), "--nsamples", "8",
                          "--seq-len", "64", "--max-epochs", "2", "--steps-per-epoch", "5", "--finetune-epochs", "1",
                          "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        auto j = r.lastJson();
        QCOMPARE(j["layers"].size(), size_t(35));
        for (const char* key : {"avg_bits", "model_bits", "bytes", "peak_mb", "seconds"}) QVERIFY2(j.contains(key), key);
        QVERIFY(r.err.contains("ETA"));
        QVERIFY(r.err.contains("rel.error"));
        r = runAqlm({"info", out, "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QString::fromStdString(r.lastJson()["format"].get<std::string>()).contains("aqlm 2x6g4"));
        // Every AQLM layer type names its decode and prefill kernel and why.
        r = runAqlm({"info", out, "--kernels", "--json"});
        QCOMPARE(r.exitCode, 0);
        const nlohmann::json kernels = r.lastJson()["kernels"];
        QCOMPARE(kernels.size(), size_t(7));  // q k v o gate up down (the head is tied)
        for (const auto& k : kernels) {
            QCOMPARE(k["decode"]["kernel"].get<std::string>(), std::string("cpu-lut8"));
            QCOMPARE(k["prefill"]["kernel"].get<std::string>(), std::string("cpu-decode-gemm"));
            QVERIFY(!k["decode"]["reason"].get<std::string>().empty());
            QVERIFY(r.out.contains(QString::fromStdString(k["layer"].get<std::string>()) + " ["));
        }
        r = runAqlm({"generate", out, "--prompt", "Once upon a time", "--max-new-tokens", "8", "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lastJson()["tokens"].size(), size_t(13));
        // The fast kernels and the reference decode path give the same greedy tokens.
        const auto fastTokens = r.lastJson()["tokens"];
        r = runAqlm({"generate", out, "--prompt", "Once upon a time", "--max-new-tokens", "8", "--kernel", "reference",
                     "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lastJson()["tokens"], fastTokens);
        QVERIFY(runAqlm({"generate", out, "--prompt", "x", "--kernel", "fast"}).exitCode == 2);
        r = runAqlm({"perplexity", out, "--data", shared("data/tinystories/tinystories_valid_head.txt"), "--seq-len", "64",
                     "--max-windows", "4", "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.lastJson()["perplexity"].get<double>() > 1.0);
        // The finished folder is never overwritten.
        r = runAqlm({"quantize", shared("models/stories260K/stories260K.bin"), "--out", out, "--scheme", "2x6g4",
                     "--calib", shared("data/tinystories/tinystories_train_head_2MiB.txt")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("finished"), qPrintable(r.err));
    }

    void benchMatvecJson() {
        auto r = runAqlm({"bench", "matvec", "--rows", "64", "--cols", "128", "--scheme", "2x8g8", "--repeats", "3",
                          "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const nlohmann::json j = r.lastJson();
        for (const char* key : {"aqlm_ms", "dense_ms", "speedup", "kernel"}) QVERIFY2(j.contains(key), key);
        QVERIFY(j["aqlm_ms"].get<double>() > 0 && j["dense_ms"].get<double>() > 0);
        QCOMPARE(j["kernel"].get<std::string>(), std::string("cpu-lut8"));
        r = runAqlm({"bench", "matvec", "--rows", "64", "--cols", "128", "--scheme", "1x16g8", "--tokens", "40",
                     "--repeats", "2", "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lastJson()["kernel"].get<std::string>(), std::string("cpu-decode-gemm"));
        r = runAqlm({"bench", "matvec", "--rows", "64", "--cols", "100", "--scheme", "2x8g8"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("multiple of the group size"), qPrintable(r.err));
        QCOMPARE(runAqlm({"bench", "frobnicate"}).exitCode, 2);
    }

    // One layer of the 1.1B shape keeps this quick; the bf16 twin is what a 7B shape gets when fp32
    // does not fit.
    void benchGenerateJson() {
        for (const char* dtype : {"fp32", "bf16"}) {
            auto r = runAqlm({"bench", "generate", "--synthetic", "llama-1b", "--layers", "1", "--scheme", "2x8g8",
                              "--decode-tokens", "2", "--dense-dtype", dtype, "--json"});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const nlohmann::json j = r.lastJson();
            for (const char* key : {"aqlm_tok_s", "dense_tok_s", "speedup"}) QVERIFY2(j.contains(key), key);
            QVERIFY(j["aqlm_tok_s"].get<double>() > 0 && j["dense_tok_s"].get<double>() > 0);
            QCOMPARE(j["dense_dtype"].get<std::string>(), std::string(dtype));
            QCOMPARE(j["layers"].get<int>(), 1);
        }
        auto r = runAqlm({"bench", "generate", "--synthetic", "llama-1b", "--dense-dtype", "fp8"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--dense-dtype"), qPrintable(r.err));
        QCOMPARE(runAqlm({"bench", "generate", "--synthetic", "gpt-5"}).exitCode, 2);
    }

    void infoKernelsOnADenseModel() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        auto r = runAqlm({"info", shared("models/stories260K/stories260K.bin"), "--kernels", "--json"});
        QCOMPARE(r.exitCode, 0);
        const nlohmann::json kernels = r.lastJson()["kernels"];
        QVERIFY(kernels.size() >= 7);
        for (const auto& k : kernels) QCOMPARE(k["decode"]["kernel"].get<std::string>(), std::string("dense-gemv"));
    }

    void badInputsFailWithTheFileNamed_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("special");  // 1: truncated model copy, 2: empty data, 3: non-UTF-8 data
        const QString model = shared("models/stories260K/stories260K.bin");
        QTest::newRow("missing model") << QStringList{"info", "/nonexistent/model.bin"} << "/nonexistent/model.bin" << 0;
        QTest::newRow("truncated model") << QStringList{"info", "@TMP@/stories260K.bin"} << "truncated" << 1;
        QTest::newRow("empty data") << QStringList{"perplexity", model, "--data", "@TMP@/empty.txt"} << "empty" << 2;
        QTest::newRow("binary data") << QStringList{"perplexity", model, "--data", "@TMP@/bad.txt"} << "UTF-8" << 3;
        QTest::newRow("missing data") << QStringList{"perplexity", model, "--data", "/nonexistent/x.txt"} << "/nonexistent/x.txt" << 0;
        QTest::newRow("unknown option") << QStringList{"info", model, "--bogus"} << "unknown option --bogus" << 0;
        QTest::newRow("bad number") << QStringList{"generate", model, "--max-new-tokens", "lots"} << "integer" << 0;
        const QString calib = shared("data/tinystories/tinystories_train_head_2MiB.txt");
        QTest::newRow("unknown scheme") << QStringList{"quantize", model, "--out", "@TMP@/o", "--scheme", "3bit", "--calib", calib} << "unknown scheme" << 0;
        QTest::newRow("group does not divide") << QStringList{"quantize", model, "--out", "@TMP@/o", "--scheme", "2x8g8", "--calib", calib} << "does not divide" << 0;
        QTest::newRow("short calibration") << QStringList{"quantize", model, "--out", "@TMP@/o", "--scheme", "1x8g4", "--calib", "@TMP@/empty.txt"} << "empty" << 2;
        QTest::newRow("missing calibration") << QStringList{"quantize", model, "--out", "@TMP@/o", "--scheme", "1x8g4", "--calib", "/nonexistent/c.txt"} << "/nonexistent/c.txt" << 0;
    }

    void badInputsFailWithTheFileNamed() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        QFETCH(int, special);
        QTemporaryDir dir;
        if (special == 1) {
            QFile src(shared("models/stories260K/stories260K.bin"));
            QVERIFY(src.open(QIODevice::ReadOnly));
            QFile dst(dir.filePath("stories260K.bin"));
            QVERIFY(dst.open(QIODevice::WriteOnly));
            dst.write(src.read(500000));
            dst.close();
            QFile::copy(shared("models/stories260K/tok512.bin"), dir.filePath("tok512.bin"));
        } else if (special == 2 || special == 3) {
            QFile f(dir.filePath(special == 2 ? "empty.txt" : "bad.txt"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            if (special == 3) f.write("valid start \xff\xfe then garbage");
            f.close();
        }
        for (QString& a : args) a.replace("@TMP@", dir.path());
        auto r = runAqlm(args);
        QVERIFY2(r.exitCode != 0 && r.exitCode != -1, qPrintable(r.err));
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
