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
        QVERIFY(r.out.contains("codebooks outweigh"));  // the advice the Compress page shows too
    }

    void bitsTimeMeasuresTheRun() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        auto r = runAqlm({"bits", shared("models/stories260K/stories260K.bin"), "--scheme", "1x8g4", "--time",
                          "--nsamples", "16", "--seq-len", "64", "--max-epochs", "20", "--finetune-epochs", "2",
                          "--threads", "1", "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto t = r.lastJson()["time"];
        QCOMPARE(t["threads"].get<int>(), 1);
        QCOMPARE(t["expected_epochs"].get<int>(), 6);
        const double parts = t["layer_seconds"].get<double>() + t["forward_seconds"].get<double>() +
                             t["finetune_seconds"].get<double>();
        QVERIFY(qAbs(parts - t["expected_seconds"].get<double>()) <= 1e-9 * parts);
        QVERIFY(t["finetune_seconds"].get<double>() > 0);
        QVERIFY(t["longest_seconds"].get<double>() > t["expected_seconds"].get<double>());  // 20 epochs > 6
        QVERIFY(r.out.contains("time on this machine (1 threads"));
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
            // 16-bit tables where the CPU has AVX-512 VBMI and VNNI, the fp32 ones elsewhere.
            const QString decode = QString::fromStdString(k["decode"]["kernel"].get<std::string>());
            QVERIFY2(decode == "cpu-lut8" || decode == "cpu-lut8-int16", qPrintable(decode));
            QCOMPARE(k["prefill"]["kernel"].get<std::string>(), std::string("cpu-decode-gemm"));
            QVERIFY(!k["decode"]["reason"].get<std::string>().empty());
            QVERIFY(r.out.contains(QString::fromStdString(k["layer"].get<std::string>()) + " ["));
        }
        r = runAqlm({"generate", out, "--prompt", "Once upon a time", "--max-new-tokens", "8", "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lastJson()["tokens"].size(), size_t(13));
        // The exact kernels and the reference decode path give the same greedy tokens (the 16-bit
        // lookup tables of auto have their own contract: tst_lut_int16).
        r = runAqlm({"generate", out, "--prompt", "Once upon a time", "--max-new-tokens", "8", "--kernel", "exact",
                     "--json"});
        QCOMPARE(r.exitCode, 0);
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

    void finetuneAfterQuantize() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        QTemporaryDir dir;
        const QString model = shared("models/stories260K/stories260K.bin");
        const QString text = shared("data/tinystories/tinystories_train_head_2MiB.txt");
        const QString out = dir.filePath("q");
        // Compression, then PV-Tuning of the result into q-pv.
        auto r = runAqlm({"quantize", model, "--out", out, "--scheme", "2x6g4", "--calib", text, "--nsamples", "8",
                          "--seq-len", "64", "--max-epochs", "2", "--steps-per-epoch", "5", "--finetune-epochs", "1",
                          "--pv-steps", "2", "--quiet", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.lastJson()["pv"]["steps"].get<int64_t>(), int64_t(2));
        QVERIFY(QFileInfo::exists(out + "-pv/config.json"));
        // Global fine-tuning of the compressed model, registered in a library as its variant.
        const QString ft = dir.filePath("ft");
        r = runAqlm({"finetune", out, "--teacher", model, "--out", ft, "--data", text, "--mode", "global", "--steps", "3",
                     "--tokens-per-step", "128", "--seq-len", "64", "--eval-every", "1", "--library",
                     dir.filePath("library.sqlite"), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto j = r.lastJson();
        for (const char* key : {"steps", "final_ppl", "best_ppl", "seconds", "peak_mb", "codes_changed_per_step", "tokens"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["codes_changed_per_step"], nlohmann::json({0, 0, 0}));  // global: codes frozen
        QCOMPARE(j["tokens"].get<int64_t>(), int64_t(3 * 128));
        QVERIFY(QFileInfo::exists(dir.filePath("library.sqlite")));
        r = runAqlm({"info", ft, "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QString::fromStdString(r.lastJson()["format"].get<std::string>()).contains("aqlm 2x6g4"));
        // Errors: no teacher; a finished folder as output.
        QCOMPARE(runAqlm({"finetune", out, "--out", dir.filePath("x"), "--data", text}).exitCode, 2);
        r = runAqlm({"finetune", out, "--teacher", model, "--out", ft, "--data", text});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("not empty"), qPrintable(r.err));
    }

    void benchMatvecJson() {
        auto r = runAqlm({"bench", "matvec", "--rows", "64", "--cols", "128", "--scheme", "2x8g8", "--repeats", "3",
                          "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const nlohmann::json j = r.lastJson();
        for (const char* key : {"aqlm_ms", "dense_ms", "speedup", "kernel"}) QVERIFY2(j.contains(key), key);
        QVERIFY(j["aqlm_ms"].get<double>() > 0 && j["dense_ms"].get<double>() > 0);
        const QString kernel = QString::fromStdString(j["kernel"].get<std::string>());
        QVERIFY2(kernel == "cpu-lut8" || kernel == "cpu-lut8-int16", qPrintable(kernel));
        r = runAqlm({"bench", "matvec", "--rows", "64", "--cols", "128", "--scheme", "2x8g8", "--kernel", "exact",
                     "--repeats", "2", "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lastJson()["kernel"].get<std::string>(), std::string("cpu-lut8"));
        r = runAqlm({"bench", "matvec", "--rows", "64", "--cols", "128", "--scheme", "1x16g8", "--tokens", "40",
                     "--repeats", "2", "--json"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lastJson()["kernel"].get<std::string>(), std::string("cpu-decode-gemm"));
        r = runAqlm({"bench", "matvec", "--rows", "64", "--cols", "100", "--scheme", "2x8g8"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("multiple of the group size"), qPrintable(r.err));
        QCOMPARE(runAqlm({"bench", "frobnicate"}).exitCode, 2);
    }

    // fp16 / bf16 on the CPU: the 16-bit kernel is timed with fp32 BLAS beside it (and LibTorch's own path or why not).
    void benchMatvecHalfJson() {
        for (const char* dtype : {"fp16", "bf16"})
            for (const char* path : {"auto", "row-pass", "tiled-gemm"}) {
                auto r = runAqlm({"bench", "matvec", "--rows", "64", "--cols", "136", "--scheme", "2x8g8", "--dtype",
                                  dtype, "--tokens", path == std::string("tiled-gemm") ? "40" : "1", "--half-path", path,
                                  "--repeats", "2", "--json"});
                QVERIFY2(r.exitCode == 0, qPrintable(r.err));
                const nlohmann::json j = r.lastJson();
                QVERIFY(j["dense_ms"].get<double>() > 0 && j["fp32_blas_ms"].get<double>() > 0);
                QVERIFY(j["half_weight_gb_per_s"].get<double>() > 0);
                // auto takes the row pass for one token on every machine
                QCOMPARE(j["half_path"].get<std::string>(), std::string(path == std::string("auto") ? "row-pass" : path));
                QVERIFY(j["libtorch_half_ms"].is_number() || !j["libtorch_half_note"].get<std::string>().empty());
            }
        auto r = runAqlm({"bench", "matvec", "--dtype", "fp16", "--half-path", "sideways"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--half-path"), qPrintable(r.err));
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

    // make-synthetic: a tiny Hugging Face folder that info and generate accept, the same model when sharded,
    // the same bytes for the same seed, bf16 too, and no overwriting of an existing model.
    void makeSyntheticTinyModel() {
        AQLM_REQUIRE_SHARED("models/llama2-tokenizer/tokenizer.model");
        const QString tokenizer = shared("models/llama2-tokenizer/tokenizer.model");
        QTemporaryDir dir;
        const int64_t dim = 256, hidden = 688, layers = 4, vocab = 32000;  // the tiny shape, Llama-2 vocabulary
        const int64_t parameters = 2 * vocab * dim + layers * (2 * dim + 4 * dim * dim + 3 * dim * hidden) + dim;
        nlohmann::json infos[2];
        for (int shards : {1, 2}) {
            const QString out = dir.filePath(QString("tiny-%1").arg(shards));
            auto r = runAqlm({"make-synthetic", "--shape", "tiny", "--out", out, "--shards", QString::number(shards),
                              "--tokenizer", tokenizer, "--seed", "7", "--json"});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QCOMPARE(r.lastJson()["parameters"].get<int64_t>(), parameters);
            QCOMPARE(QDir(out).entryList({"*.safetensors"}).size(), shards);
            QCOMPARE(QFileInfo::exists(out + "/model.safetensors.index.json"), shards > 1);
            r = runAqlm({"info", out, "--json"});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            nlohmann::json info = r.lastJson();
            QCOMPARE(info["dim"].get<int64_t>(), dim);
            QCOMPARE(info["hidden_dim"].get<int64_t>(), hidden);
            QCOMPARE(info["layers"].get<int64_t>(), layers);
            QCOMPARE(info["heads"].get<int>(), 8);
            QCOMPARE(info["kv_heads"].get<int>(), 8);
            QCOMPARE(info["vocab"].get<int64_t>(), vocab);
            QCOMPARE(info["context"].get<int>(), 512);
            QCOMPARE(info["parameters"].get<int64_t>(), parameters);
            QCOMPARE(info["dtype"].get<std::string>(), std::string("fp16"));
            QCOMPARE(info["tied_embeddings"].get<bool>(), false);
            info.erase("path");   // the folder names differ
            info.erase("bytes");  // two headers instead of one
            info.erase("peak_rss_bytes");  // a measurement of the run, not of the model
            infos[shards - 1] = info;
            r = runAqlm({"generate", out, "--prompt", "Hello", "--max-new-tokens", "4", "--json"});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY(r.lastJson()["tokens"].size() >= 2);
        }
        QCOMPARE(infos[1].dump(), infos[0].dump());

        // Deterministic by seed: a second folder with seed 7 has the same bytes.
        const QString again = dir.filePath("tiny-again");
        auto r = runAqlm({"make-synthetic", "--shape", "tiny", "--out", again, "--tokenizer", tokenizer, "--seed", "7",
                          "--quiet"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile a(dir.filePath("tiny-1/model.safetensors")), b(again + "/model.safetensors");
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY(a.readAll() == b.readAll());

        const QString bf16 = dir.filePath("tiny-bf16");
        r = runAqlm({"make-synthetic", "--shape", "tiny", "--layers", "2", "--dtype", "bf16", "--out", bf16,
                     "--tokenizer", tokenizer, "--quiet"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runAqlm({"info", bf16, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.lastJson()["dtype"].get<std::string>(), std::string("bf16"));
        QCOMPARE(r.lastJson()["layers"].get<int>(), 2);

        r = runAqlm({"make-synthetic", "--shape", "tiny", "--out", again, "--tokenizer", tokenizer});
        QVERIFY(r.exitCode != 0 && r.exitCode != -1);
        QVERIFY2(r.err.contains("already holds a model"), qPrintable(r.err));
        r = runAqlm({"make-synthetic", "--shape", "gpt-5", "--out", dir.filePath("x"), "--tokenizer", tokenizer});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("llama2-7b"), qPrintable(r.err));  // the known shapes are listed
        QVERIFY(dir.remove());
    }

    // --scheme: a random AQLM folder of the shape, laid out like a compression result, that loads and runs.
    void makeSyntheticAqlmModel() {
        AQLM_REQUIRE_SHARED("models/llama2-tokenizer/tokenizer.model");
        QTemporaryDir dir;
        const QString out = dir.filePath("tiny-2x8g8");
        auto r = runAqlm({"make-synthetic", "--shape", "tiny", "--scheme", "2x8g8", "--out", out, "--tokenizer",
                          shared("models/llama2-tokenizer/tokenizer.model")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runAqlm({"info", out, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.lastJson()["format"].get<std::string>(), std::string("hf aqlm 2x8g8"));
        QCOMPARE(r.lastJson()["dim"].get<int>(), 256);
        r = runAqlm({"generate", out, "--prompt", "Hello", "--max-new-tokens", "3", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.lastJson()["tokens"].size() >= 2);
        // An existing model is never overwritten.
        QVERIFY(runAqlm({"make-synthetic", "--shape", "tiny", "--scheme", "2x8g8", "--out", out}).exitCode != 0);
    }

    // A 7B-shaped folder (2 of its 32 layers, ~1.3 GB) is written as a stream: the child's peak resident
    // memory, measured from outside by /usr/bin/time, stays below a quarter of the file it wrote.
    void makeSyntheticStreamsWithLittleMemory() {
        AQLM_REQUIRE_SHARED("models/llama2-tokenizer/tokenizer.model");
        if (!QFileInfo::exists("/usr/bin/time")) QSKIP("needs /usr/bin/time to measure the child's peak memory");
        QTemporaryDir dir;
        const QString out = dir.filePath("llama2-7b-2-layers"), rssFile = dir.filePath("peak_kb.txt");
        QProcess p;
        p.start("/usr/bin/time", {"-f", "%M", "-o", rssFile, qEnvironmentVariable("AQLM_BIN", "build/bin") + "/aqlm",
                                  "make-synthetic", "--shape", "llama2-7b", "--layers", "2", "--out", out, "--tokenizer",
                                  shared("models/llama2-tokenizer/tokenizer.model"), "--quiet"});
        QVERIFY(p.waitForFinished(600000));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAllStandardError().constData());
        QFile rss(rssFile);
        QVERIFY(rss.open(QIODevice::ReadOnly));
        bool ok = false;
        const qint64 peakBytes = QString::fromUtf8(rss.readAll()).trimmed().split('\n').last().toLongLong(&ok) * 1024;
        QVERIFY(ok && peakBytes > 0);
        const qint64 fileBytes = QFileInfo(out + "/model.safetensors").size();
        QVERIFY2(fileBytes > qint64(1200) * 1000 * 1000, qPrintable(QString::number(fileBytes)));
        QVERIFY2(peakBytes < fileBytes / 4, qPrintable(QString("peak RSS %1 MB for a %2 MB file")
                                                           .arg(peakBytes >> 20).arg(fileBytes >> 20)));
        qInfo("make-synthetic llama2-7b --layers 2: peak RSS %lld MB for %lld MB of weights",
              static_cast<long long>(peakBytes >> 20), static_cast<long long>(fileBytes >> 20));
        auto r = runAqlm({"info", out, "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const nlohmann::json j = r.lastJson();
        QCOMPARE(j["dim"].get<int>(), 4096);
        QCOMPARE(j["hidden_dim"].get<int>(), 11008);
        QCOMPARE(j["layers"].get<int>(), 2);
        QCOMPARE(j["context"].get<int>(), 4096);
        QCOMPARE(j["parameters"].get<int64_t>(), int64_t(2) * 32000 * 4096 + 2 * (2 * 4096 + 4 * 4096 * 4096 +
                                                                                   3 * 4096 * 11008) + 4096);
        QVERIFY(dir.remove());
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
