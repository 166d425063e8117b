// Decoder mechanics on a random model: cache vs full forward, batching, GQA, RoPE layouts, Linear swap.
#include "engine/layers/hf_quantized_layout.h"
#include "engine/model/model_loader.h"
#include "tiny_model.h"

#include <QtTest/QtTest>
#include <c10/core/GradMode.h>

using namespace aqlm;
using namespace aqlm::test;

namespace {

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

// Wraps another layer: proves the model only talks to the Linear interface.
class CountingLinear : public Linear {
public:
    explicit CountingLinear(std::unique_ptr<Linear> inner, int* calls) : m_inner(std::move(inner)), m_calls(calls) {}
    at::Tensor forward(const at::Tensor& x) const override {
        ++*m_calls;
        return m_inner->forward(x);
    }
    at::Tensor denseWeight() const override { return m_inner->denseWeight(); }
    int64_t inFeatures() const override { return m_inner->inFeatures(); }
    int64_t outFeatures() const override { return m_inner->outFeatures(); }
    std::string describe() const override { return "counting"; }

private:
    std::unique_ptr<Linear> m_inner;
    int* m_calls;
};

// Hugging Face's rotate-half RoPE on [T, H, hs] (the layout HF checkpoints are permuted for).
at::Tensor ropeRotateHalf(const at::Tensor& x, double theta) {
    const int64_t T = x.size(0), hs = x.size(2), half = hs / 2;
    auto invFreq = 1.0 / at::pow(theta, at::arange(0, hs, 2, at::kDouble) / static_cast<double>(hs));
    auto angles = at::outer(at::arange(T, at::kDouble), invFreq).to(at::kFloat);  // [T, half]
    auto emb = at::cat({angles, angles}, -1).unsqueeze(1);                         // [T, 1, hs]
    auto rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
    return x * emb.cos() + rotated * emb.sin();
}

}  // namespace

class TestTinyModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { c10::GradMode::set_enabled(false); }

    void cachedDecodingEqualsFullForward() {
        auto model = makeTinyModel();
        auto tokens = at::randint(0, 64, {1, 20}, at::kLong);
        auto full = model->forward(tokens);
        auto cache = model->makeCache(1, 32);
        // Prefill 7 tokens, then one at a time.
        std::vector<at::Tensor> parts{model->forward(tokens.narrow(1, 0, 7), &cache)};
        for (int64_t t = 7; t < 20; ++t) parts.push_back(model->forward(tokens.narrow(1, t, 1), &cache));
        QCOMPARE(cache.length, int64_t(20));
        QVERIFY(maxAbsDiff(at::cat(parts, 1), full) < 1e-4);
    }

    void batchRowsAreIndependent() {
        auto model = makeTinyModel();
        auto tokens = at::randint(0, 64, {3, 16}, at::kLong);
        auto batched = model->forward(tokens);
        for (int64_t b = 0; b < 3; ++b)
            QVERIFY(maxAbsDiff(batched[b], model->forward(tokens.narrow(0, b, 1))[0]) < 1e-4);
    }

    void causalityHoldsForEarlierPositions() {
        auto model = makeTinyModel();
        auto a = at::randint(0, 64, {1, 12}, at::kLong);
        auto b = a.clone();
        b[0][11] = (a[0][11].item<int64_t>() + 1) % 64;
        auto la = model->forward(a), lb = model->forward(b);
        QVERIFY(maxAbsDiff(la.narrow(1, 0, 11), lb.narrow(1, 0, 11)) < 1e-5);
        QVERIFY(maxAbsDiff(la.narrow(1, 11, 1), lb.narrow(1, 11, 1)) > 1e-3);
    }

    void untiedHeadIsUsed() {
        auto c = tinyConfig();
        c.tiedEmbeddings = false;
        auto model = makeTinyModel(c);
        QVERIFY(model->lmHead() != nullptr);
        auto tokens = at::randint(0, 64, {1, 5}, at::kLong);
        QCOMPARE(model->forward(tokens).size(2), int64_t(64));
        QCOMPARE(model->parameterCount(), makeTinyModel()->parameterCount() + 64 * 32);
    }

    void everyProjectionGoesThroughLinear() {
        auto model = makeTinyModel();
        auto before = model->forward(at::arange(8, at::kLong).view({1, 8}));
        int calls = 0;
        for (int64_t l = 0; l < model->numBlocks(); ++l)
            for (Sublayer s : kAllSublayers) {
                auto& slot = model->block(l).linear(s);
                slot = std::make_unique<CountingLinear>(std::move(slot), &calls);
            }
        auto after = model->forward(at::arange(8, at::kLong).view({1, 8}));
        QCOMPARE(calls, 2 * 7);
        QVERIFY(maxAbsDiff(before, after) == 0.0);
    }

    void hfRowOrderMatchesRotateHalfRope() {
        // Interleaved RoPE on W x equals rotate-half RoPE on (permuted W) x, after un-permuting rows.
        const int64_t heads = 4, hs = 8, dim = heads * hs, T = 6;
        auto w = at::randn({dim, dim});
        auto x = at::randn({T, dim});
        // Rows permuted to HF order and back are the identity ...
        QVERIFY(maxAbsDiff(hfToInterleavedRows(interleavedToHfRows(w, heads), heads), w) == 0.0);
        // ... and the permuted projection under rotate-half RoPE equals interleaved RoPE re-ordered.
        auto qHf = ropeRotateHalf(at::matmul(x, interleavedToHfRows(w, heads).t()).view({T, heads, hs}), 10000.0);
        auto qMeta = at::matmul(x, w.t()).view({T, heads, hs / 2, 2});
        auto angles = at::outer(at::arange(T, at::kFloat),
                                1.0 / at::pow(10000.0, at::arange(0, hs, 2, at::kFloat) / hs)).unsqueeze(1);
        auto even = qMeta.select(-1, 0), odd = qMeta.select(-1, 1);
        auto rotated = at::stack({even * angles.cos() - odd * angles.sin(), even * angles.sin() + odd * angles.cos()}, -1)
                           .view({T, heads * hs});
        auto backToMeta = hfToInterleavedRows(qHf.reshape({T, dim}).t().contiguous(), heads).t();
        QVERIFY(maxAbsDiff(backToMeta, rotated) < 1e-4);
    }

    // The model runs q/k rows in the order they are stored: the same weights in Hugging Face
    // (rotate-half) order under RotateHalf RoPE give the logits of the interleaved original.
    void rotateHalfLayoutRunsHuggingFaceRows() {
        const ModelConfig c = tinyConfig();
        auto interleaved = makeTinyModel(c);
        ModelConfig hfConfig = c;
        hfConfig.ropeLayout = RopeLayout::RotateHalf;
        std::vector<LlamaBlock> blocks;
        for (int64_t l = 0; l < c.nLayers; ++l) {
            const LlamaBlock& src = interleaved->block(l);
            LlamaBlock b;
            b.attnNorm = src.attnNorm;
            b.ffnNorm = src.ffnNorm;
            for (Sublayer s : kAllSublayers) {
                at::Tensor w = src.linear(s).denseWeight();
                if (s == Sublayer::Q) w = interleavedToHfRows(w, c.nHeads);
                if (s == Sublayer::K) w = interleavedToHfRows(w, c.nKvHeads);
                b.linear(s) = std::make_unique<DenseLinear>(w);
            }
            blocks.push_back(std::move(b));
        }
        LlamaModel hf(hfConfig, interleaved->embedding(), std::move(blocks), interleaved->finalNorm(), nullptr);
        const auto tokens = at::arange(10, at::kLong).view({1, 10});
        QVERIFY(maxAbsDiff(interleaved->forward(tokens), hf.forward(tokens)) < 1e-4);
        QVERIFY(maxAbsDiff(hfToInterleavedRows(interleavedToHfRows(interleaved->block(0).q->denseWeight(), c.nHeads), c.nHeads),
                           interleaved->block(0).q->denseWeight()) == 0.0);
    }

    void contextOverflowIsAnError() {
        auto model = makeTinyModel();
        QVERIFY_EXCEPTION_THROWN(model->forward(at::zeros({1, 33}, at::kLong)), std::exception);
    }
};

QTEST_GUILESS_MAIN(TestTinyModel)
#include "tst_tiny_model.moc"
