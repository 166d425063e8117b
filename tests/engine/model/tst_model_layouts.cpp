// Both layouts of reference-7M (llama2.c fp32 and HF fp16 with rotate-half row order) give the
// same model; sharded HF folders load; broken HF folders fail with messages naming the problem.
#include "engine/api/engine_error.h"
#include "engine/eval/perplexity.h"
#include "engine/infer/generator.h"
#include "engine/io/safetensors.h"
#include "engine/io/text_file.h"
#include "engine/model/model_loader.h"
#include "engine/runtime/threads.h"
#include "golden_file.h"
#include "shared_paths.h"

#include <QtTest/QtTest>
#include <c10/core/GradMode.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace aqlm;
using namespace aqlm::test;

namespace {

const char* kHf = "models/reference-7M/hf";

std::string hfPath() { return sharedPath(kHf); }

at::Tensor textTokens(const LoadedModel& m, size_t bytes) {
    const std::string text = readTextFile(sharedPath("data/tinystories/tinystories_valid_head.txt")).substr(0, bytes);
    auto ids = m.tokenizer->encode(text, true);
    ids.resize(std::min<size_t>(ids.size(), 200));
    return at::tensor(std::vector<int64_t>(ids.begin(), ids.end()), at::kLong).view({1, -1});
}

nlohmann::json hfConfig() {
    std::ifstream in(hfPath() + "/config.json");
    return nlohmann::json::parse(in);
}

// A copy of the HF folder in dir with the given config and tensors (names filtered by keep).
void writeHfFolder(const QString& dir, const nlohmann::json& config,
                   const std::function<bool(const std::string&)>& keep, bool withTokenizer = true) {
    std::ofstream(dir.toStdString() + "/config.json") << config.dump(2);
    SafetensorsFile source(hfPath() + "/model.safetensors");
    std::vector<TensorToWrite> tensors;
    for (const auto& name : source.names()) {
        if (!keep(name)) continue;
        const TensorView& v = source.tensor(name);
        tensors.push_back({name, v.dtype, v.shape, v.data, v.byteSize});
    }
    writeSafetensors(dir.toStdString() + "/model.safetensors", tensors);
    if (withTokenizer) QFile::copy(QString::fromStdString(hfPath() + "/tokenizer.model"), dir + "/tokenizer.model");
}

void expectLoadError(const QString& path, const QString& words) {
    try {
        loadModel(path.toStdString());
        QFAIL("loaded a broken model");
    } catch (const EngineError& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.contains(words, Qt::CaseInsensitive), qPrintable(message));
    }
}

}  // namespace

class TestModelLayouts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        setThreadCount(0);
        c10::GradMode::set_enabled(false);
    }

    void llama2cAndHfGiveTheSameLogits() {
        AQLM_REQUIRE_SHARED("models/reference-7M/model.bin");
        AQLM_REQUIRE_SHARED(kHf);
        auto bin = loadModel(sharedPath("models/reference-7M/model.bin"));
        auto hf = loadModel(hfPath());
        QCOMPARE(hf.info.format, std::string("hf safetensors"));
        QCOMPARE(hf.info.dtype, std::string("fp16"));
        QCOMPARE(hf.info.parameters, bin.info.parameters);
        QCOMPARE(bin.info.parameters, int64_t(7344384));
        auto tokens = textTokens(bin, 2000);
        QCOMPARE(textTokens(hf, 2000).sizes(), tokens.sizes());
        const double diff = (bin.model->forward(tokens) - hf.model->forward(tokens)).abs().max().item<double>();
        // fp16 rounding of the HF copy: about 0.006 on logits of magnitude 15.
        QVERIFY2(diff < 0.03, qPrintable(QString("max |logit difference| %1").arg(diff)));
    }

    void hfReproducesGoldenGreedyAndPerplexity() {
        AQLM_REQUIRE_SHARED(kHf);
        AQLM_REQUIRE_SHARED("data/tinystories/tinystories_valid_head.txt");
        const QString golden = readGolden(sharedPath("golden/reference-7M.txt"));
        auto hf = loadModel(hfPath());
        const int greedyLine = golden.indexOf("greedy 64 new tokens:");
        const auto expected = parseIds(golden.mid(greedyLine + 21, golden.indexOf('\n', greedyLine) - greedyLine - 21));
        GenerationRequest request;
        request.promptTokens = hf.tokenizer->encode("Once upon a time", true);
        request.maxNewTokens = 64;
        QCOMPARE(Generator(*hf.model, *hf.tokenizer).generate(request).tokens, expected);

        const double goldenPpl = QRegularExpression("ppl ([0-9.]+)").match(golden).captured(1).toDouble();
        const auto tokens = hf.tokenizer->encode(readTextFile(sharedPath("data/tinystories/tinystories_valid_head.txt")), true);
        PerplexityOptions options;
        options.seqLen = 256;
        const double ppl = evaluatePerplexity(*hf.model, tokens, options).perplexity;
        QVERIFY2(std::abs(ppl / goldenPpl - 1) < 1e-3, qPrintable(QString("HF ppl %1 vs golden %2").arg(ppl).arg(goldenPpl)));
    }

    void shardedFolderLoadsTheSame() {
        AQLM_REQUIRE_SHARED(kHf);
        QTemporaryDir dir;
        std::ofstream(dir.filePath("config.json").toStdString()) << hfConfig().dump();
        QFile::copy(QString::fromStdString(hfPath() + "/tokenizer.model"), dir.filePath("tokenizer.model"));
        SafetensorsFile source(hfPath() + "/model.safetensors");
        std::vector<TensorToWrite> shards[2];
        nlohmann::json index;
        for (const auto& name : source.names()) {
            const TensorView& v = source.tensor(name);
            const int shard = name.find("layers.") != std::string::npos && name.find("layers.5") == std::string::npos &&
                                      name.find("layers.6") == std::string::npos && name.find("layers.7") == std::string::npos
                                  ? 0 : 1;
            shards[shard].push_back({name, v.dtype, v.shape, v.data, v.byteSize});
            index["weight_map"][name] = shard == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
        }
        writeSafetensors(dir.filePath("model-00001-of-00002.safetensors").toStdString(), shards[0]);
        writeSafetensors(dir.filePath("model-00002-of-00002.safetensors").toStdString(), shards[1]);
        std::ofstream(dir.filePath("model.safetensors.index.json").toStdString()) << index.dump();

        auto sharded = loadModel(dir.path().toStdString());
        auto single = loadModel(hfPath());
        auto tokens = at::arange(1, 40, at::kLong).view({1, -1});
        QVERIFY((sharded.model->forward(tokens) - single.model->forward(tokens)).abs().max().item<double>() == 0.0);
    }

    void shardNamesLeavingTheFolderAreRejected() {
        AQLM_REQUIRE_SHARED(kHf);
        QTemporaryDir outside;
        const std::string outsideShard = outside.path().toStdString() + "/model.safetensors";
        QFile::copy(QString::fromStdString(hfPath() + "/model.safetensors"), QString::fromStdString(outsideShard));
        const std::vector<std::pair<std::string, QString>> cases = {
            {"../" + QFileInfo(outside.path()).fileName().toStdString() + "/model.safetensors", "not a file in the model folder"},
            {outsideShard, "not a file in the model folder"},
            {"linked.safetensors", "leads outside the model folder"},
        };
        for (const auto& [shardName, words] : cases) {
            QTemporaryDir dir;
            std::ofstream(dir.filePath("config.json").toStdString()) << hfConfig().dump();
            QFile::copy(QString::fromStdString(hfPath() + "/tokenizer.model"), dir.filePath("tokenizer.model"));
            std::filesystem::create_symlink(outsideShard, dir.filePath("linked.safetensors").toStdString());
            nlohmann::json index;
            for (const auto& name : SafetensorsFile(outsideShard).names()) index["weight_map"][name] = shardName;
            std::ofstream(dir.filePath("model.safetensors.index.json").toStdString()) << index.dump();
            expectLoadError(dir.path(), words);
            expectLoadError(dir.path(), "model.safetensors.index.json");
        }
    }

    void tokenizerLinkedFromOutsideIsRejected() {
        AQLM_REQUIRE_SHARED(kHf);
        QTemporaryDir dir;
        writeHfFolder(dir.path(), hfConfig(), [](const std::string&) { return true; }, false);
        std::filesystem::create_symlink(hfPath() + "/tokenizer.model", dir.filePath("tokenizer.model").toStdString());
        expectLoadError(dir.path(), "leads outside the model folder");
        // An explicitly chosen tokenizer file is the user's choice, not the folder's.
        LoadOptions options;
        options.tokenizerPath = hfPath() + "/tokenizer.model";
        QVERIFY(loadModel(dir.path().toStdString(), options).model);
    }

    void folderOfAnUnfinishedCompressionDoesNotLoad() {
        AQLM_REQUIRE_SHARED(kHf);
        QTemporaryDir dir;
        writeHfFolder(dir.path(), hfConfig(), [](const std::string&) { return true; });
        QDir(dir.path()).mkdir(".aqlm-run");
        nlohmann::json state = {{"status", "running"}, {"options", nlohmann::json::object()},
                                {"completed_blocks", 8}, {"layers", nlohmann::json::array()}};
        std::ofstream(dir.filePath(".aqlm-run/run.json").toStdString()) << state.dump();
        expectLoadError(dir.path(), "unfinished compression run");
        state["status"] = "complete";
        std::ofstream(dir.filePath(".aqlm-run/run.json").toStdString(), std::ios::trunc) << state.dump();
        QVERIFY(loadModel(dir.path().toStdString()).model);
    }

    void brokenHfFoldersAreRejected() {
        AQLM_REQUIRE_SHARED(kHf);
        auto all = [](const std::string&) { return true; };
        {
            QTemporaryDir dir;
            expectLoadError(dir.path(), "config.json");
        }
        {
            QTemporaryDir dir;
            auto c = hfConfig();
            c["model_type"] = "gpt2";
            c["architectures"] = {"GPT2LMHeadModel"};
            writeHfFolder(dir.path(), c, all);
            expectLoadError(dir.path(), "unsupported architecture");
        }
        {
            QTemporaryDir dir;
            writeHfFolder(dir.path(), hfConfig(), [](const std::string& n) { return n.find("layers.3.mlp.up_proj") == std::string::npos; });
            expectLoadError(dir.path(), "model.layers.3.mlp.up_proj.weight");
        }
        {
            QTemporaryDir dir;
            auto c = hfConfig();
            c["intermediate_size"] = 512;
            writeHfFolder(dir.path(), c, all);
            expectLoadError(dir.path(), "shape");
        }
        {
            QTemporaryDir dir;
            auto c = hfConfig();
            c["tie_word_embeddings"] = false;  // untied but no lm_head.weight in the file
            writeHfFolder(dir.path(), c, all);
            expectLoadError(dir.path(), "lm_head.weight");
        }
        {
            QTemporaryDir dir;
            writeHfFolder(dir.path(), hfConfig(), all, /*withTokenizer=*/false);
            expectLoadError(dir.path(), "no tokenizer");
        }
        {
            QTemporaryDir dir;
            std::ofstream(dir.filePath("config.json").toStdString()) << hfConfig().dump();
            expectLoadError(dir.path(), "model.safetensors");
        }
    }

    void notAModelIsRejected() {
        QTemporaryDir dir;
        QFile f(dir.filePath("notes.txt"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello");
        f.close();
        expectLoadError(dir.filePath("notes.txt"), "not a model file");
        // Long enough for a llama2.c header: its bytes read as absurd sizes, still "not a model file".
        QFile text(dir.filePath("story.txt"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("Once upon a time there was a little girl who liked to read stories about dragons.");
        text.close();
        expectLoadError(dir.filePath("story.txt"), "not a model file");
        expectLoadError(dir.filePath("missing.bin"), "no such file");
    }
};

QTEST_GUILESS_MAIN(TestModelLayouts)
#include "tst_model_layouts.moc"
