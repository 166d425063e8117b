// The 16-bit fixed-point lookup-table kernel (cpu-lut8-int16) and its accuracy contract:
//   layer: relative error against the exact fp64 product within kLayerBound on random data, for every
//          Kx8 shape it accepts, odd row counts, partial tiles, 1-8 tokens, 1, 2 and 7 threads (one and
//          two threads giving the same bits);
//   model: on reference-7M compressed to 2x8g8, the perplexity of 256 tokens fed one at a time (the
//          decode path, with the fast path's int8 classifier) within 0.2% of the exact kernels', and at least 95% of the greedy tokens equal
//          (255 after BOS: the model's whole 256-position context).
// Skips where the CPU lacks AVX-512 VBMI or VNNI (the exact kernels then run; nothing to check).
#include "engine/api/engine_error.h"
#include "engine/io/text_file.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/layers/kernels/cpu_kernels.h"
#include "engine/layers/kernels/kernel_select.h"
#include "engine/layers/kernels/lut_int16.h"
#include "engine/model/model_loader.h"
#include "engine/quant/compression_pipeline.h"
#include "fresh_seed.h"
#include "shared_paths.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>

#include <QtTest/QtTest>

#include <cmath>
#include <vector>

using namespace aqlm;
using namespace aqlm::kernels;
using aqlm::test::freshSeed;

namespace {

// Measured worst cases over the shapes below: bench/RESULTS.md, docs/architecture/kernels.md.
constexpr double kLayerBound = 1e-3;

void requireInt8() {
    if (!lutInt16Supported(QuantScheme::parse("2x8g8")))
        QSKIP("this CPU has no AVX-512 VBMI and VNNI: the 16-bit lookup-table kernel never runs here");
}

// The layer's product in fp64 from the reference decode.
at::Tensor exactProduct(const at::Tensor& codes, const at::Tensor& codebooks, const at::Tensor& scales,
                        const at::Tensor& x) {
    const at::Tensor w = aqlmDecode(codes, codebooks.to(at::kDouble), scales.to(at::kDouble));
    return at::matmul(x.to(at::kDouble), w.t());
}

double relError(const at::Tensor& got, const at::Tensor& want) {
    if (!at::isfinite(got).all().item<bool>()) return INFINITY;
    return (got.to(at::kDouble) - want).norm().item<double>() / want.norm().item<double>();
}

// Mean negative log-likelihood of `tokens` fed one at a time through a KV cache.
double decodePathNll(const LlamaModel& model, const std::vector<int64_t>& tokens) {
    auto cache = model.makeCache(1, static_cast<int64_t>(tokens.size()));
    double total = 0;
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
        const at::Tensor input = at::tensor({tokens[i]}, at::kLong).view({1, 1});
        const at::Tensor logProbs = at::log_softmax(model.forward(input, &cache).reshape({-1}), 0);
        total -= logProbs[tokens[i + 1]].item<double>();
    }
    return total / static_cast<double>(tokens.size() - 1);
}

std::vector<int64_t> greedy(const LlamaModel& model, int64_t first, int64_t count) {
    auto cache = model.makeCache(1, count + 1);
    std::vector<int64_t> out;
    int64_t next = first;
    for (int64_t i = 0; i < count; ++i) {
        next = model.forward(at::tensor({next}, at::kLong).view({1, 1}), &cache).reshape({-1}).argmax().item<int64_t>();
        out.push_back(next);
    }
    return out;
}

}  // namespace

class TestLutInt16 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qInfo("seed %llu (fresh every run)", static_cast<unsigned long long>(freshSeed())); }

    void layerErrorWithinBound_data() {
        QTest::addColumn<QString>("scheme");
        for (const char* s : {"2x8g8", "1x8g8", "1x8g4", "4x8g8", "8x8g32", "2x6g8", "2x6g4", "1x4g8", "2x8g16"})
            QTest::newRow(s) << s;
    }
    void layerErrorWithinBound() {
        requireInt8();
        QFETCH(QString, scheme);
        const QuantScheme s = QuantScheme::parse(scheme.toStdString());
        QVERIFY(lutInt16Supported(s));
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        const auto f32 = at::TensorOptions().dtype(at::kFloat);
        // 133 rows: a partial 64-row block; a group count that leaves a partial tile.
        const int64_t groups = 2 * lutTileGroups(s.numCodebooks, s.codebookSize()) + 3;
        const int64_t dOut = 133, dIn = groups * s.inGroupSize;
        const at::Tensor codes = at::randint(0, s.codebookSize(), {dOut, groups, s.numCodebooks}, gen,
                                             at::TensorOptions().dtype(at::kInt));
        const at::Tensor codebooks = at::randn({s.numCodebooks, s.codebookSize(), 1, s.inGroupSize}, gen, f32);
        const at::Tensor scales = at::rand({dOut, 1, 1, 1}, gen, f32) + 0.1;
        const PackedCodes packed(codes, s);
        const at::Tensor codebookT = transposeCodebooks(codebooks);
        const int threadsBefore = at::get_num_threads();
        double worst = 0;
        for (int threads : {1, 2, 7})
            for (int64_t n : {1, 3, 8}) {
                at::set_num_threads(threads);
                // Activations with outlier channels, as real hidden states have.
                at::Tensor x = at::randn({n, dIn}, gen, f32);
                x.narrow(1, 0, 3).mul_(20);
                const at::Tensor y = lutInt16Matvec(packed, codebookT, scales.reshape({dOut}), x);
                at::set_num_threads(threadsBefore);
                const double err = relError(y, exactProduct(codes, codebooks, scales, x));
                worst = std::max(worst, err);
                QVERIFY2(err < kLayerBound,
                         qPrintable(QString("threads=%1 n=%2: relative error %3").arg(threads).arg(n).arg(err)));
            }
        qInfo("%s: worst relative error %.2e", qPrintable(scheme), worst);
    }

    // One and two threads cut a layer into the same parts by tiles (and rows), whose sums are added in
    // part order, so they give the same bits (more threads cut more parts: layerErrorWithinBound).
    void sameBitsOnOneAndTwoThreads() {
        requireInt8();
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        const auto f32 = at::TensorOptions().dtype(at::kFloat);
        const QuantScheme s = QuantScheme::parse("2x8g8");
        const int64_t groups = 9 * lutTileGroups(s.numCodebooks, s.codebookSize()) + 5, dOut = 300;
        const at::Tensor codes = at::randint(0, s.codebookSize(), {dOut, groups, s.numCodebooks}, gen,
                                             at::TensorOptions().dtype(at::kInt));
        const PackedCodes packed(codes, s);
        const at::Tensor codebookT =
            transposeCodebooks(at::randn({s.numCodebooks, s.codebookSize(), 1, s.inGroupSize}, gen, f32));
        const at::Tensor scales = at::rand({dOut}, gen, f32) + 0.1;
        const int threadsBefore = at::get_num_threads();
        for (int64_t n : {1, 4}) {
            const at::Tensor x = at::randn({n, groups * s.inGroupSize}, gen, f32);
            at::set_num_threads(1);
            const at::Tensor one = lutInt16Matvec(packed, codebookT, scales, x);
            at::set_num_threads(2);
            const at::Tensor two = lutInt16Matvec(packed, codebookT, scales, x);
            at::set_num_threads(threadsBefore);
            QVERIFY2(at::equal(one, two), qPrintable(QString("n=%1: 2 threads differ from 1").arg(n)));
        }
    }

    // q/k/v and gate/up of a decode step: one parallel region for several layers on the same input
    // must give each layer exactly its own forward(); a layer of another kind makes them run apart.
    void sameInputLayersMatchTheirOwnForward() {
        requireInt8();
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(freshSeed());
        const auto f32 = at::TensorOptions().dtype(at::kFloat);
        const QuantScheme s = QuantScheme::parse("2x8g8");
        const int64_t groups = 2 * lutTileGroups(s.numCodebooks, s.codebookSize()) + 3, dIn = groups * s.inGroupSize;
        std::vector<std::unique_ptr<Linear>> layers;
        for (int64_t dOut : {133, 64, 200})
            layers.push_back(std::make_unique<AqlmLinear>(
                at::randint(0, s.codebookSize(), {dOut, groups, s.numCodebooks}, gen, at::TensorOptions().dtype(at::kInt)),
                at::randn({s.numCodebooks, s.codebookSize(), 1, s.inGroupSize}, gen, f32),
                at::rand({dOut, 1, 1, 1}, gen, f32) + 0.1, s));
        layers.push_back(std::make_unique<DenseLinear>(at::randn({40, dIn}, gen, f32)));
        const std::vector<const Linear*> aqlmOnly{layers[0].get(), layers[1].get(), layers[2].get()};
        const std::vector<const Linear*> mixed{layers[0].get(), layers[3].get(), layers[1].get()};
        c10::NoGradGuard noGrad;
        const int threadsBefore = at::get_num_threads();
        for (int threads : {1, 2})
            for (int64_t n : {1, 3}) {
                at::set_num_threads(threads);
                const at::Tensor x = at::randn({1, n, dIn}, gen, f32);
                for (const auto& group : {aqlmOnly, mixed}) {
                    const std::vector<at::Tensor> together = forwardSameInput(group, x);
                    QCOMPARE(together.size(), group.size());
                    for (size_t i = 0; i < group.size(); ++i) {
                        const at::Tensor alone = group[i]->forward(x);
                        QCOMPARE(together[i].sizes().vec(), alone.sizes().vec());
                        QVERIFY2(at::equal(together[i], alone),
                                 qPrintable(QString("threads=%1 n=%2 layer %3").arg(threads).arg(n).arg(i)));
                    }
                }
            }
        at::set_num_threads(threadsBefore);
    }

    void policyChoosesTheKernel() {
        requireInt8();
        const QuantScheme s = QuantScheme::parse("2x8g8");
        QCOMPARE(int(selectKernel(s, false, 1)), int(AqlmKernel::CpuLut8Int16));
        QCOMPARE(int(selectKernel(s, false, 17)), int(AqlmKernel::CpuDecodeGemm));
        QVERIFY(!lutInt16Supported(QuantScheme::parse("1x16g8")));  // no 64 Ki-entry byte tables
        setKernelPolicy(KernelPolicy::Exact);
        QCOMPARE(int(selectKernel(s, false, 1)), int(AqlmKernel::CpuLut8));
        setKernelPolicy(KernelPolicy::LutInt16);
        QCOMPARE(int(selectKernel(s, false, 40)), int(AqlmKernel::CpuLut8Int16));
        setKernelPolicy(KernelPolicy::Auto);
        QCOMPARE(int(parseKernelPolicy("exact")), int(KernelPolicy::Exact));
        QCOMPARE(int(parseKernelPolicy("lut-int16")), int(KernelPolicy::LutInt16));
    }

    void modelContractOnReference7M() {
        requireInt8();
        AQLM_REQUIRE_SHARED("models/reference-7M/model.bin");
        AQLM_REQUIRE_SHARED("data/tinystories/tinystories_valid_head.txt");
        QTemporaryDir dir;
        CompressionOptions o;
        o.scheme = QuantScheme::parse("2x8g8");
        o.calibrationFiles = {test::sharedPath("data/tinystories/tinystories_train_head_2MiB.txt")};
        o.nsamples = 8;
        o.seqLen = 128;
        o.layer.maxEpochs = 2;
        o.layer.stepsPerEpoch = 10;
        o.layer.kmeansIterations = 10;
        o.finetuneEpochs = 0;
        o.seed = 3;
        const std::string out = dir.filePath("ref7m-2x8").toStdString();
        compressModel(test::sharedPath("models/reference-7M/model.bin"), out, o);
        const LoadedModel loaded = loadModel(out);
        c10::NoGradGuard noGrad;

        const std::string text = readTextFile(test::sharedPath("data/tinystories/tinystories_valid_head.txt"));
        std::vector<int64_t> tokens;
        for (int32_t t : loaded.tokenizer->encode(text.substr(0, 4000), true)) tokens.push_back(t);
        tokens.resize(std::min<size_t>(tokens.size(), 256));
        QCOMPARE(tokens.size(), size_t(256));

        setKernelPolicy(KernelPolicy::Exact);
        QVERIFY(!loaded.model->decodeHeadIsInt8());
        const double exactNll = decodePathNll(*loaded.model, tokens);
        const std::vector<int64_t> exactTokens = greedy(*loaded.model, tokens[0], 255);
        setKernelPolicy(KernelPolicy::Auto);
        QCOMPARE(int(selectKernel(o.scheme, false, 1)), int(AqlmKernel::CpuLut8Int16));
        QVERIFY(loaded.model->decodeHeadIsInt8());  // the fast path's classifier is part of the contract
        const double fastNll = decodePathNll(*loaded.model, tokens);
        const std::vector<int64_t> fastTokens = greedy(*loaded.model, tokens[0], 255);

        const double pplRatio = std::exp(fastNll - exactNll);
        int64_t same = 0;
        for (size_t i = 0; i < exactTokens.size(); ++i) same += exactTokens[i] == fastTokens[i];
        qInfo("decode-path perplexity exact %.4f, 16-bit tables and int8 classifier %.4f (ratio %.5f); greedy tokens "
              "equal %lld of %zu",
              std::exp(exactNll), std::exp(fastNll), pplRatio, static_cast<long long>(same), exactTokens.size());
        QVERIFY2(std::abs(pplRatio - 1) <= 0.002, qPrintable(QString("perplexity ratio %1").arg(pplRatio)));
        QVERIFY2(same >= static_cast<int64_t>(std::ceil(0.95 * static_cast<double>(exactTokens.size()))),
                 qPrintable(QString("only %1 of %2 greedy tokens equal").arg(same).arg(exactTokens.size())));
    }
};

QTEST_GUILESS_MAIN(TestLutInt16)
#include "tst_lut_int16.moc"
