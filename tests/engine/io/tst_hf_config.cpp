// Hugging Face config.json parsing: the real reference model, Mistral, defaults, and bad configs
// that must be rejected with the offending key or problem named.
#include "engine/api/engine_error.h"
#include "engine/io/hf_config.h"
#include "shared_paths.h"

#include <QtTest/QtTest>

#include <fstream>

using namespace aqlm;
using nlohmann::json;

namespace {

const char* kConfig = "models/reference-7M/hf/config.json";

// Same shape as the reference model, embedded so the bad-config table runs without shared data.
json baseConfig() {
    return json::parse(R"({
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": 256, "intermediate_size": 768, "num_hidden_layers": 8,
        "num_attention_heads": 8, "num_key_value_heads": 4, "vocab_size": 4096,
        "max_position_embeddings": 256, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
        "hidden_act": "silu", "tie_word_embeddings": true, "bos_token_id": 1, "eos_token_id": 2,
        "rope_scaling": null, "torch_dtype": "float16"})");
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

}  // namespace

class TestHfConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesReferenceModel();
    void parsesMistral();
    void appliesDefaults();
    void acceptsArchitecturesWithoutModelType();
    void badConfigsThrow_data();
    void badConfigsThrow();
    void validateRejectsEmptyConfig();
    void readJsonFileReportsProblems();
};

void TestHfConfig::parsesReferenceModel() {
    AQLM_REQUIRE_SHARED(kConfig);
    const std::string path = aqlm::test::sharedPath(kConfig);
    const ModelConfig c = readHfConfigFile(path);
    QCOMPARE(c.architecture, std::string("llama"));
    QCOMPARE(c.dim, int64_t(256));
    QCOMPARE(c.hiddenDim, int64_t(768));
    QCOMPARE(c.nLayers, int64_t(8));
    QCOMPARE(c.nHeads, int64_t(8));
    QCOMPARE(c.nKvHeads, int64_t(4));
    QCOMPARE(c.vocabSize, int64_t(4096));
    QCOMPARE(c.maxSeqLen, int64_t(256));
    QCOMPARE(c.tiedEmbeddings, true);
    QCOMPARE(c.ropeTheta, 10000.0);
    QCOMPARE(c.rmsNormEps, 1e-5);
    QCOMPARE(c.bosId, 1);
    QCOMPARE(c.eosId, 2);
    QCOMPARE(c.headDim(), int64_t(32));
    QCOMPARE(c.kvDim(), int64_t(128));
}

void TestHfConfig::parsesMistral() {
    const json config = json::parse(R"({
        "architectures": ["MistralForCausalLM"], "model_type": "mistral",
        "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
        "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 32000,
        "max_position_embeddings": 32768, "rms_norm_eps": 1e-05, "rope_theta": 1000000.0,
        "hidden_act": "silu", "tie_word_embeddings": false, "bos_token_id": 1,
        "eos_token_id": [2, 32000], "sliding_window": null, "head_dim": 128,
        "torch_dtype": "bfloat16"})");
    const ModelConfig c = parseHfConfig(config, "mistral/config.json");
    QCOMPARE(c.architecture, std::string("mistral"));
    QCOMPARE(c.dim, int64_t(4096));
    QCOMPARE(c.hiddenDim, int64_t(14336));
    QCOMPARE(c.nLayers, int64_t(32));
    QCOMPARE(c.nHeads, int64_t(32));
    QCOMPARE(c.nKvHeads, int64_t(8));
    QCOMPARE(c.vocabSize, int64_t(32000));
    QCOMPARE(c.maxSeqLen, int64_t(32768));
    QCOMPARE(c.ropeTheta, 1e6);
    QCOMPARE(c.tiedEmbeddings, false);
    QCOMPARE(c.eosId, 2);  // first of the list
}

void TestHfConfig::appliesDefaults() {
    const json config = json::parse(R"({"model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
        "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100, "num_key_value_heads": null})");
    const ModelConfig c = parseHfConfig(config, "minimal.json");
    QCOMPARE(c.nKvHeads, int64_t(4));  // = num_attention_heads
    QCOMPARE(c.maxSeqLen, int64_t(2048));
    QCOMPARE(c.ropeTheta, 10000.0);
    QCOMPARE(c.rmsNormEps, 1e-6);
    QCOMPARE(c.tiedEmbeddings, false);
    QCOMPARE(c.bosId, 1);
    QCOMPARE(c.eosId, 2);
}

void TestHfConfig::acceptsArchitecturesWithoutModelType() {
    json config = baseConfig();
    config.erase("model_type");
    QCOMPARE(parseHfConfig(config, "a.json").architecture, std::string("llama"));
    config["architectures"] = {"MistralForCausalLM"};
    QCOMPARE(parseHfConfig(config, "a.json").architecture, std::string("mistral"));
}

void TestHfConfig::badConfigsThrow_data() {
    // patch: an RFC 7386 merge patch applied to baseConfig() (null removes a key).
    QTest::addColumn<QString>("patch");
    QTest::addColumn<QString>("word");
    QTest::newRow("gpt2") << R"({"model_type": "gpt2"})" << "unsupported architecture 'gpt2'";
    QTest::newRow("unsupported architectures only")
        << R"({"model_type": null, "architectures": ["GPT2LMHeadModel"]})" << "GPT2LMHeadModel";
    QTest::newRow("no architecture at all") << R"({"model_type": null, "architectures": null})" << "model_type";
    QTest::newRow("model_type not a string") << R"({"model_type": 3})" << "model_type";
    QTest::newRow("missing hidden_size") << R"({"hidden_size": null})" << "hidden_size";
    QTest::newRow("hidden_size a string") << R"({"hidden_size": "256"})" << "hidden_size";
    QTest::newRow("hidden_size fractional") << R"({"hidden_size": 256.5})" << "hidden_size";
    QTest::newRow("missing vocab_size") << R"({"vocab_size": null})" << "vocab_size";
    QTest::newRow("negative layers") << R"({"num_hidden_layers": -1})" << "num_hidden_layers";
    QTest::newRow("rope_scaling set") << R"({"rope_scaling": {"type": "linear", "factor": 2.0}})"
                                      << "rope_scaling is not supported";
    QTest::newRow("heads not dividing dim") << R"({"num_attention_heads": 7, "num_key_value_heads": 7})"
                                            << "divisible";
    QTest::newRow("kv heads not dividing heads") << R"({"num_key_value_heads": 3})" << "divisible";
    QTest::newRow("odd head dim") << R"({"hidden_size": 264})" << "RoPE";
    QTest::newRow("head_dim mismatch") << R"({"head_dim": 64})" << "head_dim";
    QTest::newRow("hidden_act gelu") << R"({"hidden_act": "gelu"})" << "hidden_act";
    QTest::newRow("absurd vocab") << R"({"vocab_size": 100000000})" << "vocab";
    QTest::newRow("absurd dim") << R"({"hidden_size": 131072, "num_attention_heads": 1024})" << "dim";
    QTest::newRow("empty eos list") << R"({"eos_token_id": []})" << "eos_token_id";
    QTest::newRow("eos outside vocab") << R"({"eos_token_id": 5000})" << "eos";
    QTest::newRow("tie_word_embeddings a string") << R"({"tie_word_embeddings": "yes"})"
                                                  << "tie_word_embeddings";
    QTest::newRow("rope_theta a string") << R"({"rope_theta": "1e4"})" << "rope_theta";
    QTest::newRow("attention bias") << R"({"attention_bias": true})" << "attention_bias";
}

void TestHfConfig::badConfigsThrow() {
    QFETCH(QString, patch);
    QFETCH(QString, word);
    json config = baseConfig();
    config.merge_patch(json::parse(patch.toStdString()));
    const std::string source = "bad/config.json";
    try {
        parseHfConfig(config, source);
        QFAIL("expected EngineError");
    } catch (const EngineError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(source) != std::string::npos, e.what());
        QVERIFY2(what.find(word.toStdString()) != std::string::npos, e.what());
    }
}

void TestHfConfig::validateRejectsEmptyConfig() {
    QVERIFY_THROWS_EXCEPTION(EngineError, ModelConfig{}.validate("empty"));
    QVERIFY_THROWS_EXCEPTION(EngineError, parseHfConfig(json::array(), "array.json"));
}

void TestHfConfig::readJsonFileReportsProblems() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string missing = dir.filePath("missing.json").toStdString();
    try {
        readJsonFile(missing);
        QFAIL("expected EngineError");
    } catch (const EngineError& e) {
        QVERIFY2(std::string(e.what()).find(missing) != std::string::npos, e.what());
    }

    const std::string broken = dir.filePath("broken.json").toStdString();
    writeText(broken, "{\"hidden_size\": 256,");
    try {
        readJsonFile(broken);
        QFAIL("expected EngineError");
    } catch (const EngineError& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(broken) != std::string::npos, e.what());
        QVERIFY2(what.find("parse error") != std::string::npos, e.what());  // nlohmann's message
    }

    const std::string empty = dir.filePath("empty.json").toStdString();
    writeText(empty, "");
    QVERIFY_THROWS_EXCEPTION(EngineError, readJsonFile(empty));

    const std::string good = dir.filePath("good.json").toStdString();
    writeText(good, baseConfig().dump());
    QCOMPARE(readHfConfigFile(good).nKvHeads, int64_t(4));
}

QTEST_GUILESS_MAIN(TestHfConfig)
#include "tst_hf_config.moc"
