// The fused one-token decode step against the eager LibTorch path: same logits (to fp32 rounding) and
// the same cache contents over 20 steps after a batched prefill, for grouped and full attention,
// both RoPE row orders, dense and AQLM layers, fp32 and 16-bit caches; and the same errors.
#include "engine/api/engine_error.h"
#include "engine/eval/synthetic_model.h"
#include "engine/layers/kernels/kernel_select.h"
#include "engine/layers/linear.h"
#include "engine/model/decode_step.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/GradMode.h>

#include <QtTest/QtTest>

using namespace aqlm;

namespace {

KVCache cacheOf(const LlamaModel& model, at::ScalarType type, int64_t capacity) {
    KVCache cache = model.makeCache(1, capacity);
    for (auto* side : {&cache.keys, &cache.values})
        for (auto& t : *side) t = t.to(type);
    return cache;
}

struct Steps {
    std::vector<at::Tensor> logits;
    KVCache cache;
};

Steps run(const LlamaModel& model, DecodePath path, at::ScalarType cacheType, const at::Tensor& text) {
    setDecodePath(path);
    Steps s{{}, cacheOf(model, cacheType, 40)};
    model.forward(text.narrow(1, 0, 5), &s.cache);  // batched prefill: the eager path either way
    for (int64_t i = 5; i < 25; ++i) s.logits.push_back(model.forward(text.narrow(1, i, 1), &s.cache));
    setDecodePath(DecodePath::Fused);
    return s;
}

double relDiff(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).norm().item<double>() / b.to(at::kDouble).norm().item<double>();
}

}  // namespace

class TestDecodeStep : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fusedMatchesEager_data() {
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<bool>("rotateHalf");
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<int>("cacheType");
        QTest::addColumn<double>("tolerance");
        const int f32 = int(at::kFloat), f16 = int(at::kHalf), bf16 = int(at::kBFloat16);
        QTest::newRow("GQA interleaved dense fp32") << 2 << false << "" << f32 << 1e-5;
        QTest::newRow("MHA rotate-half dense fp32") << 4 << true << "" << f32 << 1e-5;
        QTest::newRow("GQA rotate-half 2x8g8 fp32") << 2 << true << "2x8g8" << f32 << 1e-5;
        QTest::newRow("GQA interleaved dense fp16 cache") << 2 << false << "" << f16 << 1e-3;
        QTest::newRow("MHA interleaved 1x16g8 bf16 cache") << 4 << false << "1x16g8" << bf16 << 1e-2;
    }
    void fusedMatchesEager() {
        QFETCH(int, kvHeads);
        QFETCH(bool, rotateHalf);
        QFETCH(QString, scheme);
        QFETCH(int, cacheType);
        QFETCH(double, tolerance);
        ModelConfig c;
        c.dim = 64, c.hiddenDim = 160, c.nLayers = 2, c.nHeads = 4, c.nKvHeads = kvHeads, c.vocabSize = 96;
        c.maxSeqLen = 64;
        c.tiedEmbeddings = false;
        c.ropeLayout = rotateHalf ? RopeLayout::RotateHalf : RopeLayout::Interleaved;
        std::optional<QuantScheme> s;
        if (!scheme.isEmpty()) s = QuantScheme::parse(scheme.toStdString());
        const auto model = kernels::makeSyntheticModel(c, s, 7);
        c10::NoGradGuard noGrad;
        const at::Tensor text = at::randint(0, c.vocabSize, {1, 30}, at::make_generator<at::CPUGeneratorImpl>(4),
                                            at::TensorOptions().dtype(at::kLong));
        const auto type = static_cast<at::ScalarType>(cacheType);
        // Exact kernels: the 16-bit lookup tables round inputs that differ in the last bit differently
        // (their own contract is tst_lut_int16); here only the decode step differs between the runs.
        kernels::setKernelPolicy(kernels::KernelPolicy::Exact);
        const Steps fused = run(*model, DecodePath::Fused, type, text);
        const Steps eager = run(*model, DecodePath::Eager, type, text);
        kernels::setKernelPolicy(kernels::KernelPolicy::Auto);
        QCOMPARE(fused.cache.length, eager.cache.length);
        QCOMPARE(fused.cache.length, int64_t(25));
        for (size_t i = 0; i < fused.logits.size(); ++i) {
            QCOMPARE(fused.logits[i].sizes(), eager.logits[i].sizes());
            const double d = relDiff(fused.logits[i], eager.logits[i]);
            QVERIFY2(d < tolerance, qPrintable(QString("step %1: logits differ by %2").arg(i).arg(d)));
        }
        for (int64_t l = 0; l < c.nLayers; ++l) {
            const auto filled = [&](const at::Tensor& t) { return t.narrow(2, 0, 25); };
            QVERIFY(relDiff(filled(fused.cache.keys[l]), filled(eager.cache.keys[l])) < tolerance);
            QVERIFY(relDiff(filled(fused.cache.values[l]), filled(eager.cache.values[l])) < tolerance);
        }
    }

    void outOfVocabularyAndFullContextAreClearErrors() {
        ModelConfig c;
        c.dim = 32, c.hiddenDim = 64, c.nLayers = 1, c.nHeads = 2, c.nKvHeads = 2, c.vocabSize = 16;
        c.maxSeqLen = 4;
        c.tiedEmbeddings = true;
        const auto model = kernels::makeSyntheticModel(c, std::nullopt, 1);
        c10::NoGradGuard noGrad;
        auto cache = model->makeCache(1, 4);
        QVERIFY_EXCEPTION_THROWN(model->forward(at::full({1, 1}, 16, at::kLong), &cache), EngineError);
        for (int i = 0; i < 4; ++i) model->forward(at::full({1, 1}, 3, at::kLong), &cache);
        QCOMPARE(cache.length, int64_t(4));
        QVERIFY_EXCEPTION_THROWN(model->forward(at::full({1, 1}, 3, at::kLong), &cache), EngineError);
    }

    // The int8 classifier: on for compressed models under the fast kernels only (or when forced), its
    // logits close to the stored head's, and remade when the head changes in place.
    void int8ClassifierWhereItBelongs() {
        ModelConfig c;
        c.dim = 128, c.hiddenDim = 256, c.nLayers = 1, c.nHeads = 4, c.nKvHeads = 2, c.vocabSize = 300;
        c.maxSeqLen = 16;
        c.tiedEmbeddings = false;
        const auto compressed = kernels::makeSyntheticModel(c, QuantScheme::parse("2x8g8"), 5);
        const auto dense = kernels::makeSyntheticModel(c, std::nullopt, 5);
        QVERIFY(compressed->decodeHeadIsInt8());
        QVERIFY(!dense->decodeHeadIsInt8());
        kernels::setKernelPolicy(kernels::KernelPolicy::Exact);
        QVERIFY(!compressed->decodeHeadIsInt8());
        kernels::setKernelPolicy(kernels::KernelPolicy::Auto);
        setDecodeHead(DecodeHead::Int8);
        QVERIFY(dense->decodeHeadIsInt8());
        setDecodeHead(DecodeHead::Stored);
        QVERIFY(!compressed->decodeHeadIsInt8());
        QVERIFY_EXCEPTION_THROWN(parseDecodeHead("fp8"), std::invalid_argument);

        c10::NoGradGuard noGrad;
        const auto step = [&](DecodeHead head) {
            setDecodeHead(head);
            auto cache = dense->makeCache(1, 4);
            const at::Tensor logits = dense->forward(at::full({1, 1}, 7, at::kLong), &cache);
            setDecodeHead(DecodeHead::Auto);
            return logits;
        };
        QVERIFY(relDiff(step(DecodeHead::Int8), step(DecodeHead::Stored)) < 1e-2);
        QVERIFY(!at::equal(step(DecodeHead::Int8), step(DecodeHead::Stored)));
        // Fine-tuning changes the head in place: the copy follows.
        const at::Tensor& head = static_cast<const DenseLinear*>(dense->lmHead())->storedWeight();
        const_cast<at::Tensor&>(head).mul_(-2);
        QVERIFY(relDiff(step(DecodeHead::Int8), step(DecodeHead::Stored)) < 1e-2);
    }
};

QTEST_GUILESS_MAIN(TestDecodeStep)
#include "tst_decode_step.moc"
