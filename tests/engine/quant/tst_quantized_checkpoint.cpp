// Hugging Face export/import of AQLM, integer and dense models (writeHfModel + loadModel), the
// authors' released AQLM layout, exact block checkpoints, and load errors naming the file/tensor.
#include "engine/api/engine_error.h"
#include "engine/io/safetensors.h"
#include "engine/layers/hf_quantized_layout.h"
#include "engine/model/model_loader.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/int_linear.h"
#include "engine/quant/int_quantizers.h"
#include "engine/quant/quantized_checkpoint.h"
#include "engine/runtime/threads.h"
#include "shared_paths.h"
#include "tiny_model.h"

#include <QtTest/QtTest>
#include <c10/core/GradMode.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace aqlm;
using namespace aqlm::test;
namespace fs = std::filesystem;

namespace {

const char* kTok = "models/stories260K/tok512.model";

const Linear& layerOf(const LlamaModel& m, int64_t l, Sublayer s) { return m.block(l).linear(s); }

at::Tensor f16(const at::Tensor& t) { return t.to(at::kHalf).to(at::kFloat); }

ModelConfig config512(bool tied = true) {
    ModelConfig c = tinyConfig();
    c.vocabSize = 512;
    c.tiedEmbeddings = tied;
    return c;
}

// AQLM layer with random codes over the full range and fp16-representable codebooks / scales.
std::unique_ptr<AqlmLinear> randomAqlm(int64_t dOut, int64_t dIn, const QuantScheme& s, bool fp16Exact = true) {
    const int64_t K = s.codebookSize();
    at::Tensor codes = at::randint(0, K, {dOut, dIn / s.inGroupSize, s.numCodebooks}, at::kInt);
    codes.view(-1)[0] = static_cast<int32_t>(K - 1);  // at least one code that must be stored wrapped
    at::Tensor codebooks = at::randn({s.numCodebooks, K, 1, s.inGroupSize}) * 0.3;
    at::Tensor scales = at::rand({dOut, 1, 1, 1}) + 0.5;
    if (fp16Exact) {
        codebooks = f16(codebooks);
        scales = f16(scales);
    }
    return std::make_unique<AqlmLinear>(codes, codebooks, scales, s);
}

std::unique_ptr<IntLinear> randomInt(const at::Tensor& W, const std::string& method, bool shuffledGroups,
                                     bool fp16Exact = true) {
    IntQuantized q = quantizeRtn(W, 4, 16);
    if (shuffledGroups) {  // act-order style: arbitrary group of each column
        q.groupIndex = at::randint(0, q.scales.size(1), {W.size(1)}, at::kInt);
    }
    if (fp16Exact) q.scales = f16(q.scales);
    return std::make_unique<IntLinear>(std::move(q), parseQuantMethod(method));
}

using LinearMaker = std::function<std::unique_ptr<Linear>(Sublayer, const Linear& original)>;

// Rebuilds `m` with fp16-representable embedding / norms / head and projections from `make`.
std::unique_ptr<LlamaModel> rebuild(LlamaModel& m, const LinearMaker& make) {
    std::vector<LlamaBlock> blocks;
    for (int64_t l = 0; l < m.numBlocks(); ++l) {
        LlamaBlock b = std::move(m.block(l));
        b.attnNorm = f16(b.attnNorm);
        b.ffnNorm = f16(b.ffnNorm);
        for (Sublayer s : kAllSublayers) b.linear(s) = make(s, *b.linear(s));
        blocks.push_back(std::move(b));
    }
    std::unique_ptr<Linear> head;
    if (m.lmHead()) head = std::make_unique<DenseLinear>(f16(m.lmHead()->denseWeight()));
    return std::make_unique<LlamaModel>(m.config(), f16(m.embedding()), std::move(blocks), f16(m.finalNorm()),
                                        std::move(head));
}

LinearMaker denseMaker() {
    return [](Sublayer, const Linear& o) { return std::make_unique<DenseLinear>(f16(o.denseWeight())); };
}

LinearMaker aqlmMaker(const QuantScheme& s, std::vector<Sublayer> keepDense = {}) {
    return [s, keepDense](Sublayer sub, const Linear& o) -> std::unique_ptr<Linear> {
        if (std::find(keepDense.begin(), keepDense.end(), sub) != keepDense.end())
            return std::make_unique<DenseLinear>(f16(o.denseWeight()));
        return randomAqlm(o.outFeatures(), o.inFeatures(), s);
    };
}

at::Tensor sampleTokens() { return at::randint(0, 512, {2, 12}, at::kLong); }

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

// Raw integer tensor as stored (int8 / int16 / int32 / uint8), widened to int64.
at::Tensor rawInts(const TensorView& v) {
    at::ScalarType t = v.dtype == DType::I8 ? at::kChar : v.dtype == DType::I16 ? at::kShort
                     : v.dtype == DType::U8 ? at::kByte : at::kInt;
    at::Tensor out = at::empty(v.shape, t);
    std::memcpy(out.data_ptr(), v.data, v.byteSize);
    return out.to(at::kLong);
}

at::Tensor rawFloats(const TensorView& v) {
    std::vector<float> values = toFloat32(v);
    return at::from_blob(values.data(), v.shape, at::kFloat).clone();
}

// Engine-order rows -> HF rows of any [rows, ...] tensor (independent of the writer's index).
at::Tensor toHfRows(const at::Tensor& t, int64_t heads) {
    const int64_t rows = t.size(0);
    return interleavedToHfRows(t.reshape({rows, -1}).contiguous(), heads).reshape(t.sizes());
}

void expectError(const std::function<void()>& fn, const QStringList& words) {
    try {
        fn();
        QFAIL("no EngineError thrown");
    } catch (const EngineError& e) {
        const QString message = QString::fromUtf8(e.what());
        for (const QString& w : words) QVERIFY2(message.contains(w), qPrintable("'" + w + "' not in: " + message));
    }
}

// Copies folder `from` to `to`, passing each tensor of model.safetensors through `edit`
// (return false to drop it) and the config through `editConfig`.
struct EditedTensor {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
    std::vector<uint8_t> bytes;
};
void copyFolder(const std::string& from, const std::string& to, const std::function<bool(EditedTensor&)>& edit,
                const std::function<void(nlohmann::json&)>& editConfig = {}) {
    fs::create_directories(to);
    for (const auto& entry : fs::directory_iterator(from))
        if (entry.path().filename() != "model.safetensors" && entry.path().filename() != "config.json")
            fs::copy_file(entry.path(), fs::path(to) / entry.path().filename(), fs::copy_options::overwrite_existing);
    nlohmann::json config = readJson(from + "/config.json");
    if (editConfig) editConfig(config);
    std::ofstream(to + "/config.json") << config.dump(2);
    SafetensorsFile file(from + "/model.safetensors");
    std::vector<EditedTensor> kept;
    for (const auto& name : file.names()) {
        const TensorView& v = file.tensor(name);
        EditedTensor t{name, v.dtype, v.shape, std::vector<uint8_t>(v.data, v.data + v.byteSize)};
        if (edit(t)) kept.push_back(std::move(t));
    }
    std::vector<TensorToWrite> out;
    for (const auto& t : kept) out.push_back({t.name, t.dtype, t.shape, t.bytes.data(), t.bytes.size()});
    writeSafetensors(to + "/model.safetensors", out);
}

bool noTempFiles(const std::string& dir) {
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().filename().string().find(".tmp") != std::string::npos) return false;
    return true;
}

// The model as a Hugging Face folder stores it and the loader runs it: q/k rows in rotate-half
// order, dense weights and embeddings in fp16 (lossless here: the test models are fp16-exact).
std::unique_ptr<LlamaModel> inStoredLayout(LlamaModel& m) {
    ModelConfig c = m.config();
    auto stored = [](std::unique_ptr<Linear> layer) -> std::unique_ptr<Linear> {
        if (!dynamic_cast<const DenseLinear*>(layer.get())) return layer;
        return std::make_unique<DenseLinear>(layer->denseWeight().to(at::kHalf));
    };
    std::vector<LlamaBlock> blocks;
    for (int64_t l = 0; l < m.numBlocks(); ++l) {
        LlamaBlock b = std::move(m.block(l));
        b.q = reorderLinearRows(*b.q, c.nHeads, c.ropeLayout, RopeLayout::RotateHalf);
        b.k = reorderLinearRows(*b.k, c.nKvHeads, c.ropeLayout, RopeLayout::RotateHalf);
        for (Sublayer s : kAllSublayers) b.linear(s) = stored(std::move(b.linear(s)));
        blocks.push_back(std::move(b));
    }
    std::unique_ptr<Linear> head;
    if (m.lmHead()) head = std::make_unique<DenseLinear>(m.lmHead()->denseWeight().to(at::kHalf));
    c.ropeLayout = RopeLayout::RotateHalf;
    return std::make_unique<LlamaModel>(c, m.embedding().to(at::kHalf), std::move(blocks), m.finalNorm(),
                                        std::move(head));
}

void compareModels(const LlamaModel& a, const LlamaModel& b) {
    QCOMPARE(a.config().ropeLayout, b.config().ropeLayout);
    QVERIFY(at::equal(a.embedding().to(at::kFloat), b.embedding().to(at::kFloat)));
    QVERIFY(at::equal(a.finalNorm(), b.finalNorm()));
    QCOMPARE(a.lmHead() == nullptr, b.lmHead() == nullptr);
    if (a.lmHead()) QVERIFY(at::equal(a.lmHead()->denseWeight(), b.lmHead()->denseWeight()));
    for (int64_t l = 0; l < a.numBlocks(); ++l) {
        QVERIFY(at::equal(a.block(l).attnNorm, b.block(l).attnNorm));
        QVERIFY(at::equal(a.block(l).ffnNorm, b.block(l).ffnNorm));
        for (Sublayer s : kAllSublayers)
            QVERIFY2(at::equal(a.block(l).linear(s).denseWeight(), b.block(l).linear(s).denseWeight()),
                     qPrintable(QString("layer %1 %2").arg(l).arg(sublayerName(s))));
    }
}

void compareLogits(const LlamaModel& a, const LlamaModel& b) {
    const at::Tensor tokens = sampleTokens();
    const at::Tensor la = a.forward(tokens), lb = b.forward(tokens);
    const double diff = (la - lb).abs().max().item<double>();
    QVERIFY2(diff <= 1e-4, qPrintable(QString("max logit difference %1").arg(diff)));
    QVERIFY2(at::equal(la, lb), qPrintable(QString("logits differ by %1 (expected bit-identical)").arg(diff)));
}

}  // namespace

class TestQuantizedCheckpoint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        setThreadCount(0);
        c10::GradMode::set_enabled(false);
    }

    void aqlmRoundTrip_data() {
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<bool>("tied");
        QTest::newRow("2x8g8") << "2x8g8" << true;
        QTest::newRow("1x16g8") << "1x16g8" << true;
        QTest::newRow("1x4g8 (int8, wrapped)") << "1x4g8" << true;
        QTest::newRow("2x12g8 (int16, wrapped)") << "2x12g8" << false;
        QTest::newRow("3x7g16 untied") << "3x7g16" << false;
    }
    void aqlmRoundTrip() {
        AQLM_REQUIRE_SHARED(kTok);
        QFETCH(QString, scheme);
        QFETCH(bool, tied);
        const QuantScheme s = QuantScheme::parse(scheme.toStdString());
        auto base = makeTinyModel(config512(tied), 11);
        auto model = rebuild(*base, aqlmMaker(s));
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString() + "/out";
        writeHfModel(*model, dir, sharedPath(kTok), {{"aqlm_studio", {{"note", "test"}}}});

        QVERIFY(fs::exists(dir + "/tokenizer.model"));
        QVERIFY(fs::exists(dir + "/tokenizer_config.json"));
        QVERIFY(fs::exists(dir + "/generation_config.json"));
        QVERIFY(noTempFiles(dir));

        // config.json
        const nlohmann::json config = readJson(dir + "/config.json");
        QCOMPARE(config["model_type"].get<std::string>(), std::string("llama"));
        QCOMPARE(config["architectures"][0].get<std::string>(), std::string("LlamaForCausalLM"));
        QCOMPARE(config["torch_dtype"].get<std::string>(), std::string("float16"));
        QCOMPARE(config["tie_word_embeddings"].get<bool>(), tied);
        QCOMPARE(config["vocab_size"].get<int64_t>(), int64_t(512));
        QCOMPARE(config["num_key_value_heads"].get<int64_t>(), int64_t(2));
        QCOMPARE(config["rope_theta"].get<double>(), model->config().ropeTheta);
        QCOMPARE(config["rms_norm_eps"].get<double>(), model->config().rmsNormEps);
        QCOMPARE(config["aqlm_studio"]["note"].get<std::string>(), std::string("test"));
        const auto& q = config["quantization_config"];
        QCOMPARE(q["quant_method"].get<std::string>(), std::string("aqlm"));
        QCOMPARE(q["nbits_per_codebook"].get<int>(), s.nbitsPerCodebook);
        QCOMPARE(q["num_codebooks"].get<int>(), s.numCodebooks);
        QCOMPARE(q["out_group_size"].get<int>(), 1);
        QCOMPARE(q["in_group_size"].get<int>(), s.inGroupSize);
        std::set<std::string> kept;
        for (const auto& n : q["linear_weights_not_to_quantize"]) kept.insert(n.get<std::string>());
        QVERIFY(kept.count("model.embed_tokens.weight"));
        QVERIFY(kept.count("model.norm.weight"));
        QVERIFY(kept.count("model.layers.1.input_layernorm.weight"));
        QVERIFY(kept.count("model.layers.1.post_attention_layernorm.weight"));
        QVERIFY(kept.count("lm_head.weight"));  // listed even when tied (transformers has the module)
        QVERIFY(!kept.count("model.layers.0.self_attn.q_proj.weight"));
        QCOMPARE(kept.size(), size_t(2 + 2 * 2 + 1));

        // Tensors on disk: dtypes, shapes, wrapped codes, HF row order of q/k.
        {
            SafetensorsFile file(dir + "/model.safetensors");
            QCOMPARE(file.contains("lm_head.weight"), !tied);
            QVERIFY(!file.contains("model.layers.0.self_attn.v_proj.weight"));
            const int64_t K = s.codebookSize();
            const ModelConfig& c = model->config();
            for (Sublayer sub : {Sublayer::Q, Sublayer::K, Sublayer::V, Sublayer::Down}) {
                const std::string p = std::string("model.layers.1.") + sublayerName(sub);
                const auto& layer = dynamic_cast<const AqlmLinear&>(layerOf(*model, 1, sub));
                const TensorView& codes = file.tensor(p + ".codes");
                QCOMPARE(codes.dtype, s.nbitsPerCodebook <= 8 ? DType::I8 : DType::I16);
                QCOMPARE(codes.shape, (std::vector<int64_t>{layer.outFeatures(), layer.inFeatures() / s.inGroupSize,
                                                            int64_t(s.numCodebooks)}));
                at::Tensor expected = layer.codes().to(at::kLong);
                if (sub == Sublayer::Q) expected = toHfRows(expected, c.nHeads);
                if (sub == Sublayer::K) expected = toHfRows(expected, c.nKvHeads);
                const at::Tensor wrapped = at::where(expected >= K / 2, expected - K, expected);
                const at::Tensor raw = rawInts(codes);
                QVERIFY(at::equal(raw, wrapped));
                QVERIFY2(raw.min().item<int64_t>() < 0, "a code >= 2^(B-1) must be stored negative");
                QVERIFY(raw.min().item<int64_t>() >= -K / 2 && raw.max().item<int64_t>() < K / 2);

                const TensorView& cb = file.tensor(p + ".codebooks");
                QCOMPARE(cb.dtype, DType::F16);
                QCOMPARE(cb.shape, (std::vector<int64_t>{int64_t(s.numCodebooks), K, 1, int64_t(s.inGroupSize)}));
                QVERIFY(at::equal(rawFloats(cb), layer.codebooks()));
                const TensorView& sc = file.tensor(p + ".scales");
                QCOMPARE(sc.dtype, DType::F16);
                QCOMPARE(sc.shape, (std::vector<int64_t>{layer.outFeatures(), 1, 1, 1}));
                at::Tensor scales = layer.scales();
                if (sub == Sublayer::Q) scales = toHfRows(scales, c.nHeads);
                if (sub == Sublayer::K) scales = toHfRows(scales, c.nKvHeads);
                QVERIFY(at::equal(rawFloats(sc), scales));
            }
            QCOMPARE(file.tensor("model.embed_tokens.weight").dtype, DType::F16);
        }

        // Load back: identical layers (codes, codebooks, scales, decoded weight) and logits.
        LoadedModel loaded = loadModel(dir);
        model = inStoredLayout(*model);  // what the file holds and the loader runs
        QCOMPARE(loaded.info.format, "hf aqlm " + s.toString());
        QCOMPARE(loaded.info.dtype, std::string("aqlm"));
        for (int64_t l = 0; l < model->numBlocks(); ++l) {
            for (Sublayer sub : kAllSublayers) {
                const auto& a = dynamic_cast<const AqlmLinear&>(layerOf(*model, l, sub));
                const auto* b = dynamic_cast<const AqlmLinear*>(&layerOf(*loaded.model, l, sub));
                QVERIFY(b);
                QCOMPARE(b->scheme().toString(), s.toString());
                QVERIFY(at::equal(a.codes(), b->codes()));
                QVERIFY(at::equal(a.codebooks(), b->codebooks()));
                QVERIFY(at::equal(a.scales(), b->scales()));
            }
        }
        compareModels(*model, *loaded.model);
        compareLogits(*model, *loaded.model);
    }

    // Dense layers left in 16 bits beside AQLM ones (listed in linear_weights_not_to_quantize).
    void mixedDenseAndAqlm() {
        AQLM_REQUIRE_SHARED(kTok);
        auto base = makeTinyModel(config512(), 5);
        auto model = rebuild(*base, aqlmMaker(QuantScheme::parse("2x8g8"), {Sublayer::Q, Sublayer::Down}));
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeHfModel(*model, dir, sharedPath(kTok));
        const nlohmann::json config = readJson(dir + "/config.json");
        std::set<std::string> kept;
        for (const auto& n : config["quantization_config"]["linear_weights_not_to_quantize"]) kept.insert(n);
        QVERIFY(kept.count("model.layers.0.self_attn.q_proj.weight"));
        QVERIFY(kept.count("model.layers.1.mlp.down_proj.weight"));
        QVERIFY(!kept.count("model.layers.1.mlp.up_proj.weight"));
        LoadedModel loaded = loadModel(dir);
        model = inStoredLayout(*model);  // what the file holds and the loader runs
        QVERIFY(dynamic_cast<const DenseLinear*>(&layerOf(*loaded.model, 0, Sublayer::Q)));
        QVERIFY(dynamic_cast<const AqlmLinear*>(&layerOf(*loaded.model, 0, Sublayer::K)));
        compareModels(*model, *loaded.model);
        compareLogits(*model, *loaded.model);
    }

    // Unquantized export: fp16 on disk, no quantization_config, weights equal up to fp16 rounding.
    void denseRoundTrip() {
        AQLM_REQUIRE_SHARED(kTok);
        auto model = makeTinyModel(config512(false), 3);
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeHfModel(*model, dir, sharedPath(kTok));
        QVERIFY(!readJson(dir + "/config.json").contains("quantization_config"));
        LoadedModel loaded = loadModel(dir);
        model = inStoredLayout(*model);  // what the file holds and the loader runs
        QCOMPARE(loaded.info.format, std::string("hf safetensors"));
        QCOMPARE(loaded.info.dtype, std::string("fp16"));
        QVERIFY(at::equal(loaded.model->embedding().to(at::kFloat), f16(model->embedding())));
        QVERIFY(at::equal(loaded.model->lmHead()->denseWeight(), f16(model->lmHead()->denseWeight())));
        for (int64_t l = 0; l < model->numBlocks(); ++l) {
            QVERIFY(at::equal(loaded.model->block(l).attnNorm, f16(model->block(l).attnNorm)));
            for (Sublayer s : kAllSublayers) {
                const at::Tensor w = layerOf(*model, l, s).denseWeight();
                const at::Tensor got = layerOf(*loaded.model, l, s).denseWeight();
                QVERIFY2(at::equal(got, f16(w)), sublayerName(s));  // q/k rows permuted back exactly
                QVERIFY((got - w).abs().max().item<double>() <= 1e-3 * w.abs().max().item<double>() + 1e-6);
            }
        }
        const at::Tensor tokens = sampleTokens();
        const double diff = (model->forward(tokens) - loaded.model->forward(tokens)).abs().max().item<double>();
        QVERIFY2(diff < 0.05, qPrintable(QString::number(diff)));
        // A dense HF export of the rounded model reproduces it exactly.
        auto rounded = rebuild(*model, denseMaker());
        compareModels(*rounded, *loaded.model);
    }

    void intRoundTrip_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("shuffled");
        QTest::newRow("rtn") << "rtn" << false;
        QTest::newRow("gptq act-order groups") << "gptq" << true;
    }
    void intRoundTrip() {
        AQLM_REQUIRE_SHARED(kTok);
        QFETCH(QString, method);
        QFETCH(bool, shuffled);
        auto base = makeTinyModel(config512(), 9);
        auto model = rebuild(*base, [&](Sublayer, const Linear& o) -> std::unique_ptr<Linear> {
            return randomInt(o.denseWeight(), method.toStdString(), shuffled);
        });
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeHfModel(*model, dir, sharedPath(kTok));
        const nlohmann::json config = readJson(dir + "/config.json");
        const auto& q = config["quantization_config"];
        QCOMPARE(q["quant_method"].get<std::string>(), std::string("aqlm-studio-int"));
        QCOMPARE(q["method"].get<std::string>(), method.toStdString());
        QCOMPARE(q["bits"].get<int>(), 4);
        QCOMPARE(q["group_size"].get<int>(), 16);
        QCOMPARE(q["linear_weights_not_to_quantize"].size(), size_t(7));
        {
            SafetensorsFile file(dir + "/model.safetensors");
            const TensorView& qw = file.tensor("model.layers.0.self_attn.k_proj.qweight");
            QCOMPARE(qw.dtype, DType::U8);
            const auto& k = dynamic_cast<const IntLinear&>(layerOf(*model, 0, Sublayer::K));
            QVERIFY(at::equal(rawInts(qw), toHfRows(k.quantized().qweight.to(at::kLong), 2)));
            QCOMPARE(file.tensor("model.layers.0.self_attn.k_proj.scales").dtype, DType::F16);
            QCOMPARE(file.tensor("model.layers.0.self_attn.k_proj.zeros").dtype, DType::F16);
            QCOMPARE(file.tensor("model.layers.0.self_attn.k_proj.g_idx").dtype, DType::I32);
            QCOMPARE(file.tensor("model.layers.0.mlp.down_proj.scales").shape, (std::vector<int64_t>{32, 3}));
        }
        LoadedModel loaded = loadModel(dir);
        model = inStoredLayout(*model);  // what the file holds and the loader runs
        QCOMPARE(loaded.info.format, "hf " + method.toStdString() + " int4 g16");
        for (int64_t l = 0; l < model->numBlocks(); ++l) {
            for (Sublayer s : kAllSublayers) {
                const auto& a = dynamic_cast<const IntLinear&>(layerOf(*model, l, s));
                const auto* b = dynamic_cast<const IntLinear*>(&layerOf(*loaded.model, l, s));
                QVERIFY(b);
                QCOMPARE(std::string(quantMethodName(b->method())), method.toStdString());
                QVERIFY(at::equal(a.quantized().qweight, b->quantized().qweight));
                QVERIFY(at::equal(a.quantized().scales, b->quantized().scales));
                QVERIFY(at::equal(a.quantized().zeros, b->quantized().zeros));
                QVERIFY(at::equal(a.quantized().groupIndex, b->quantized().groupIndex));
                QCOMPARE(b->quantized().bits, 4);
                QCOMPARE(b->quantized().groupSize, 16);
            }
        }
        compareModels(*model, *loaded.model);
        compareLogits(*model, *loaded.model);
    }

    // A folder laid out like the authors' released checkpoints (e.g. Llama-2-7b-AQLM-2Bit-1x16-hf),
    // written directly with writeSafetensors: int16 codes [d_out, d_in/8, 1], fp16 codebooks
    // [1, 65536, 1, 8], fp16 scales [d_out, 1, 1, 1], q/k rows in HF order, untied lm_head.
    void releasedLayoutLoads() {
        AQLM_REQUIRE_SHARED(kTok);
        const ModelConfig c = config512(false);
        const QuantScheme s = QuantScheme::parse("1x16g8");
        auto base = makeTinyModel(c, 21);
        auto model = rebuild(*base, aqlmMaker(s));

        std::vector<at::Tensor> keep;
        std::vector<TensorToWrite> tensors;
        auto add = [&](const std::string& name, DType dtype, at::Tensor t) {
            t = t.contiguous();
            keep.push_back(t);
            tensors.push_back({name, dtype, t.sizes().vec(), t.data_ptr(), t.nbytes()});
        };
        nlohmann::json notQuantized = nlohmann::json::array();
        auto addHalf = [&](const std::string& name, const at::Tensor& t) {
            add(name, DType::F16, t.to(at::kHalf));
            notQuantized.push_back(name);
        };
        addHalf("model.embed_tokens.weight", model->embedding());
        for (int64_t l = 0; l < c.nLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            addHalf(p + "input_layernorm.weight", model->block(l).attnNorm);
            addHalf(p + "post_attention_layernorm.weight", model->block(l).ffnNorm);
            for (Sublayer sub : kAllSublayers) {
                const auto& a = dynamic_cast<const AqlmLinear&>(layerOf(*model, l, sub));
                at::Tensor codes = a.codes(), scales = a.scales();
                const int64_t heads = sub == Sublayer::Q ? c.nHeads : sub == Sublayer::K ? c.nKvHeads : 0;
                if (heads) {
                    codes = toHfRows(codes, heads);
                    scales = toHfRows(scales, heads);
                }
                const std::string n = p + sublayerName(sub);
                add(n + ".codes", DType::I16, codes.to(at::kShort));  // two's complement: >= 32768 wraps
                add(n + ".codebooks", DType::F16, a.codebooks().to(at::kHalf));
                // Some files store scales as [d_out]; accept both.
                add(n + ".scales", DType::F16, (sub == Sublayer::O ? scales.reshape({-1}) : scales).to(at::kHalf));
            }
        }
        addHalf("model.norm.weight", model->finalNorm());
        addHalf("lm_head.weight", model->lmHead()->denseWeight());

        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        writeSafetensors(dir + "/model.safetensors", tensors, {{"format", "pt"}});
        const nlohmann::json config = {
            {"_name_or_path", "meta-llama/Llama-2-7b-hf"},
            {"architectures", {"LlamaForCausalLM"}},
            {"attention_bias", false},
            {"attention_dropout", 0.0},
            {"bos_token_id", 1},
            {"eos_token_id", 2},
            {"hidden_act", "silu"},
            {"hidden_size", c.dim},
            {"initializer_range", 0.02},
            {"intermediate_size", c.hiddenDim},
            {"max_position_embeddings", c.maxSeqLen},
            {"model_type", "llama"},
            {"num_attention_heads", c.nHeads},
            {"num_hidden_layers", c.nLayers},
            {"num_key_value_heads", c.nKvHeads},
            {"pretraining_tp", 1},
            {"quantization_config",
             {{"in_group_size", 8},
              {"linear_weights_not_to_quantize", notQuantized},
              {"nbits_per_codebook", 16},
              {"num_codebooks", 1},
              {"out_group_size", 1},
              {"quant_method", "aqlm"}}},
            {"rms_norm_eps", c.rmsNormEps},
            {"rope_scaling", nullptr},
            {"rope_theta", c.ropeTheta},
            {"tie_word_embeddings", false},
            {"torch_dtype", "float16"},
            {"transformers_version", "4.38.0"},
            {"use_cache", true},
            {"vocab_size", c.vocabSize}};
        std::ofstream(dir + "/config.json") << config.dump(2);
        fs::copy_file(sharedPath(kTok), dir + "/tokenizer.model");

        // Sanity: some codes really are stored negative.
        {
            SafetensorsFile file(dir + "/model.safetensors");
            QVERIFY(rawInts(file.tensor("model.layers.0.mlp.up_proj.codes")).min().item<int64_t>() < 0);
        }
        LoadedModel loaded = loadModel(dir);
        model = inStoredLayout(*model);  // what the file holds and the loader runs
        QCOMPARE(loaded.info.format, std::string("hf aqlm 1x16g8"));
        for (int64_t l = 0; l < c.nLayers; ++l)
            for (Sublayer sub : kAllSublayers) {
                const auto& a = dynamic_cast<const AqlmLinear&>(layerOf(*model, l, sub));
                const auto* b = dynamic_cast<const AqlmLinear*>(&layerOf(*loaded.model, l, sub));
                QVERIFY(b);
                QVERIFY(at::equal(a.codes(), b->codes()));
                QVERIFY(b->codes().min().item<int>() >= 0);
            }
        compareModels(*model, *loaded.model);
        compareLogits(*model, *loaded.model);
        // And it runs: greedy next token is a valid id.
        const at::Tensor logits = loaded.model->forward(at::tensor(std::vector<int64_t>{1, 5, 9}).view({1, 3}));
        QCOMPARE(logits.size(2), int64_t(512));
        QVERIFY(at::isfinite(logits).all().item<bool>());
    }

    void blockCheckpointIsBitExact() {
        auto model = makeTinyModel(tinyConfig(), 4);
        LlamaBlock& b = model->block(1);
        const QuantScheme s28 = QuantScheme::parse("2x8g8"), s116 = QuantScheme::parse("1x16g8");
        b.q = randomAqlm(b.q->outFeatures(), b.q->inFeatures(), s28, /*fp16Exact=*/false);
        b.k = randomAqlm(b.k->outFeatures(), b.k->inFeatures(), s116, false);
        b.v = randomInt(b.v->denseWeight(), "rtn", false, false);
        b.gate = randomInt(b.gate->denseWeight(), "gptq", true, false);
        b.up = randomAqlm(b.up->outFeatures(), b.up->inFeatures(), QuantScheme::parse("3x5g16"), false);
        b.attnNorm = b.attnNorm + 1e-7;  // not fp16-representable
        // o and down stay dense fp32.

        QTemporaryDir tmp;
        const std::string path = tmp.path().toStdString() + "/block_1.safetensors";
        saveBlockCheckpoint(b, path);
        QVERIFY(noTempFiles(tmp.path().toStdString()));
        {
            SafetensorsFile file(path);
            QCOMPARE(file.metadata().at("self_attn.q_proj.kind"), std::string("aqlm"));
            QCOMPARE(file.metadata().at("self_attn.q_proj.scheme"), std::string("2x8g8"));
            QCOMPARE(file.metadata().at("self_attn.v_proj.kind"), std::string("int"));
            QCOMPARE(file.metadata().at("self_attn.o_proj.kind"), std::string("dense"));
            QCOMPARE(file.tensor("self_attn.k_proj.codes").dtype, DType::I32);
            QCOMPARE(file.tensor("self_attn.k_proj.codebooks").dtype, DType::F32);
        }

        // Restore into another model's block (different random weights, all dense).
        auto other = makeTinyModel(tinyConfig(), 99);
        loadBlockCheckpoint(other->block(1), path);
        const LlamaBlock& r = other->block(1);
        QVERIFY(at::equal(r.attnNorm, b.attnNorm));
        QVERIFY(at::equal(r.ffnNorm, b.ffnNorm));
        for (Sublayer s : kAllSublayers) {
            const Linear& x = *b.linear(s);
            const Linear& y = r.linear(s);
            QVERIFY2(at::equal(x.denseWeight(), y.denseWeight()), sublayerName(s));
            if (const auto* xa = dynamic_cast<const AqlmLinear*>(&x)) {
                const auto* ya = dynamic_cast<const AqlmLinear*>(&y);
                QVERIFY(ya);
                QCOMPARE(ya->scheme().toString(), xa->scheme().toString());
                QVERIFY(at::equal(xa->codes(), ya->codes()));
                QVERIFY(at::equal(xa->codebooks(), ya->codebooks()));
                QVERIFY(at::equal(xa->scales(), ya->scales()));
            } else if (const auto* xi = dynamic_cast<const IntLinear*>(&x)) {
                const auto* yi = dynamic_cast<const IntLinear*>(&y);
                QVERIFY(yi);
                QCOMPARE(yi->method(), xi->method());
                QCOMPARE(yi->quantized().bits, xi->quantized().bits);
                QCOMPARE(yi->quantized().groupSize, xi->quantized().groupSize);
                QVERIFY(at::equal(xi->quantized().qweight, yi->quantized().qweight));
                QVERIFY(at::equal(xi->quantized().scales, yi->quantized().scales));
                QVERIFY(at::equal(xi->quantized().zeros, yi->quantized().zeros));
                QVERIFY(at::equal(xi->quantized().groupIndex, yi->quantized().groupIndex));
            } else {
                QVERIFY(dynamic_cast<const DenseLinear*>(&y));
            }
        }
        const at::Tensor hidden = at::randn({2, 7, tinyConfig().dim});
        QVERIFY(at::equal(model->blockForward(1, hidden, 0, nullptr), other->blockForward(1, hidden, 0, nullptr)));

        // A block of another shape is refused, naming the file; the block is left untouched.
        ModelConfig wide = tinyConfig();
        wide.dim = 64;
        wide.nHeads = 8;
        wide.nKvHeads = 4;
        auto wideModel = makeTinyModel(wide, 1);
        const at::Tensor before = wideModel->block(0).q->denseWeight().clone();
        expectError([&] { loadBlockCheckpoint(wideModel->block(0), path); }, {QString::fromStdString(path)});
        QVERIFY(at::equal(wideModel->block(0).q->denseWeight(), before));
        expectError([&] { loadBlockCheckpoint(wideModel->block(0), path + ".missing"); },
                    {QString::fromStdString(path + ".missing")});
    }

    void exportRefusesMixedSchemes() {
        auto base = makeTinyModel(config512(), 2);
        int i = 0;
        auto model = rebuild(*base, [&](Sublayer, const Linear& o) -> std::unique_ptr<Linear> {
            return randomAqlm(o.outFeatures(), o.inFeatures(), QuantScheme::parse(i++ % 2 ? "2x8g8" : "1x8g8"));
        });
        QTemporaryDir tmp;
        expectError([&] { writeHfModel(*model, tmp.path().toStdString(), ""); }, {"2x8g8", "1x8g8"});
        QVERIFY(!fs::exists(tmp.path().toStdString() + "/config.json"));
    }

    void loadErrors() {
        AQLM_REQUIRE_SHARED(kTok);
        auto base = makeTinyModel(config512(), 6);
        auto model = rebuild(*base, aqlmMaker(QuantScheme::parse("2x8g8")));
        QTemporaryDir tmp;
        const std::string good = tmp.path().toStdString() + "/good";
        writeHfModel(*model, good, sharedPath(kTok));
        const std::string bad = tmp.path().toStdString() + "/bad";
        auto keepAll = [](EditedTensor&) { return true; };

        copyFolder(good, bad + "1", keepAll, [](nlohmann::json& c) { c["quantization_config"]["quant_method"] = "gptq"; });
        expectError([&] { loadModel(bad + "1"); },
                    {"unsupported quantization method 'gptq'", QString::fromStdString(bad + "1/config.json")});

        copyFolder(good, bad + "2", keepAll, [](nlohmann::json& c) { c["quantization_config"]["out_group_size"] = 8; });
        expectError([&] { loadModel(bad + "2"); }, {"out_group_size", "config.json"});

        const std::string v = "model.layers.0.self_attn.v_proj";
        copyFolder(good, bad + "3", [&](EditedTensor& t) {
            if (t.name == v + ".codes") {  // [16, 4, 2] stored as [16, 8, 1]
                t.shape = {t.shape[0], t.shape[1] * 2, 1};
            }
            return true;
        });
        expectError([&] { loadModel(bad + "3"); }, {QString::fromStdString(v + ".codes"), "shape", "model.safetensors"});

        copyFolder(good, bad + "4", [&](EditedTensor& t) { return t.name != v + ".codebooks"; });
        expectError([&] { loadModel(bad + "4"); }, {QString::fromStdString(v + ".codebooks"), "missing"});

        copyFolder(good, bad + "5", [&](EditedTensor& t) {
            if (t.name == v + ".codebooks") t.shape = {2, 128, 2, 8};
            return true;
        });
        expectError([&] { loadModel(bad + "5"); }, {QString::fromStdString(v + ".codebooks"), "shape"});

        copyFolder(good, bad + "6", keepAll, [](nlohmann::json& c) { c["quantization_config"]["nbits_per_codebook"] = 4; });
        expectError([&] { loadModel(bad + "6"); }, {"codes"});  // int8 codes up to 127 are out of range for B = 4

        // A shard index may only name files inside the model folder: never a path out of it.
        for (const char* shard : {"../good/model.safetensors", "/etc/passwd", "sub/model.safetensors", ".."}) {
            const std::string sharded = tmp.path().toStdString() + "/sharded";
            std::filesystem::remove_all(sharded);
            std::filesystem::create_directories(sharded);
            for (const char* f : {"config.json", "tokenizer.model"})
                std::filesystem::copy_file(good + "/" + f, sharded + "/" + f);
            std::ofstream(sharded + "/model.safetensors.index.json")
                << nlohmann::json{{"weight_map", {{"model.embed_tokens.weight", shard}}}}.dump();
            expectError([&] { inspectModelFiles(sharded); }, {"not a file in the model folder", shard});
            expectError([&] { loadModel(sharded); }, {"model.safetensors.index.json"});
        }

        // The untouched export still loads (the copies above did not disturb it).
        QCOMPARE(loadModel(good).info.format, std::string("hf aqlm 2x8g8"));
        QCOMPARE(inspectModelFiles(good).format, std::string("hf aqlm 2x8g8"));
    }

    void tokenizerNames() {
        QCOMPARE(exportedTokenizerName("/a/tok512.model"), std::string("tokenizer.model"));
        QCOMPARE(exportedTokenizerName("/a/tok512.bin"), std::string("tok512.bin"));
        QCOMPARE(exportedTokenizerName("/a/tokenizer.bin"), std::string("tokenizer.bin"));
        QCOMPARE(exportedTokenizerName("/a/vocab.bin"), std::string("tokenizer.bin"));
    }
};

QTEST_GUILESS_MAIN(TestQuantizedCheckpoint)
#include "tst_quantized_checkpoint.moc"
