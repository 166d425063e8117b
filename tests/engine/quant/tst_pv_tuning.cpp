// Whole-model fine-tuning (design/AQLM.md section 5): the chunked KD loss against its unchunked
// form, PV-Tuning's code update against brute force, tau = 0 against global fine-tuning, and on
// stories260K a short PV run that lowers the held-out KL, writes only valid codes, and resumes
// after a cancel to exactly the uninterrupted result.
#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"
#include "engine/api/memory_estimate.h"
#include "engine/io/safetensors.h"
#include "engine/layers/aqlm_linear.h"
#include "engine/model/model_loader.h"
#include "engine/quant/code_reencoder.h"
#include "engine/quant/compression_pipeline.h"
#include "engine/quant/finetune_checkpoint.h"
#include "engine/quant/kd_loss.h"
#include "engine/quant/model_finetuner.h"
#include "engine/quant/pv_update.h"
#include "engine/quant/trainable_student.h"
#include "fresh_seed.h"
#include "shared_paths.h"
#include "tiny_compression.h"
#include "tiny_model.h"

#include <QtTest/QtTest>
#include <c10/core/GradMode.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace aqlm;
using namespace aqlm::test;
namespace fs = std::filesystem;

namespace {

// The tiny random model with every projection replaced by random AQLM codes (same embedding and
// norms), as a student of the dense one.
std::unique_ptr<LlamaModel> makeTinyAqlmModel(const LlamaModel& dense, const QuantScheme& scheme, uint64_t seed) {
    at::manual_seed(seed);
    std::vector<LlamaBlock> blocks;
    for (int64_t l = 0; l < dense.numBlocks(); ++l) {
        const LlamaBlock& d = dense.block(l);
        LlamaBlock b;
        b.attnNorm = d.attnNorm.clone();
        b.ffnNorm = d.ffnNorm.clone();
        for (Sublayer s : kAllSublayers) {
            const Linear& lin = d.linear(s);
            const int64_t dOut = lin.outFeatures(), groups = lin.inFeatures() / scheme.inGroupSize;
            auto codes = at::randint(scheme.codebookSize(), {dOut, groups, scheme.numCodebooks}, at::kInt);
            auto codebooks = at::randn({scheme.numCodebooks, scheme.codebookSize(), 1, scheme.inGroupSize}) * 0.3;
            auto scales = (lin.denseWeight().norm(2, 1) / std::sqrt(double(lin.inFeatures()))).reshape({dOut, 1, 1, 1});
            b.linear(s) = std::make_unique<AqlmLinear>(codes, codebooks, scales, scheme);
        }
        blocks.push_back(std::move(b));
    }
    return std::make_unique<LlamaModel>(dense.config(), dense.embedding().clone(), std::move(blocks),
                                        dense.finalNorm().clone(), nullptr);
}

std::vector<at::Tensor> gradients(TrainableStudent& s) {
    std::vector<at::Tensor> out;
    for (auto& p : s.parameters()) out.push_back(p.param.grad().defined() ? p.param.grad().clone() : at::Tensor());
    for (auto& l : s.layers()) out.push_back(l.weight.grad().clone());
    return out;
}

FinetuneData randomData(int64_t vocab, int64_t seqLen, uint64_t seed) {
    at::manual_seed(seed);
    auto t = at::randint(vocab, {4000}, at::kInt);
    std::vector<int32_t> tokens(t.data_ptr<int32_t>(), t.data_ptr<int32_t>() + t.numel());
    return splitFinetuneData(tokens, seqLen, 0.1);
}

// Every tensor of a safetensors file, byte for byte.
void expectSameFile(const std::string& a, const std::string& b) {
    SafetensorsFile fa(a), fb(b);
    QCOMPARE(fa.names(), fb.names());
    for (const auto& name : fa.names()) {
        const TensorView& x = fa.tensor(name);
        const TensorView& y = fb.tensor(name);
        QVERIFY2(x.byteSize == y.byteSize && std::memcmp(x.data, y.data, x.byteSize) == 0, name.c_str());
    }
}

class CancelAtStep : public FinetuneObserver {
public:
    CancelToken* cancel = nullptr;
    int64_t at = -1;
    std::vector<int64_t> changed;
    void onStep(const FinetuneStepReport& r) override {
        changed.push_back(r.codesChanged);
        if (cancel && r.step == at) cancel->cancel();
    }
};

// A state.json missing a field or holding one of the wrong type is refused with its name; the intact
// file, put back, still resumes.
void expectDamagedStateRefused(const FinetuneRequest& request, const fs::path& stateJson) {
    const nlohmann::json intact = nlohmann::json::parse(std::ifstream(stateJson));
    nlohmann::json missing = intact;
    missing.erase("best_kl");
    nlohmann::json wrongType = intact;
    wrongType["evaluations"][0]["kl"] = "low";
    for (const nlohmann::json& damaged : {missing, wrongType, nlohmann::json::array({1, 2})}) {
        std::ofstream(stateJson) << damaged.dump();
        try {
            runFinetune(request, nullptr, nullptr);
            QFAIL("a damaged fine-tuning state was accepted");
        } catch (const EngineError& e) {
            QCOMPARE(e.file(), stateJson.string());
            QVERIFY2(std::string(e.what()).find("unreadable fine-tuning state") != std::string::npos, e.what());
        }
    }
    std::ofstream(stateJson) << intact.dump(2);
}

void expectValidCodes(const NamedTensors& tensors, int64_t codebookSize) {
    int checked = 0;
    for (const auto& [name, t] : tensors) {
        if (name.size() < 6 || name.compare(name.size() - 6, 6, ".codes") != 0) continue;
        QVERIFY2(t.min().item<int64_t>() >= 0 && t.max().item<int64_t>() < codebookSize, name.c_str());
        ++checked;
    }
    QVERIFY(checked > 0);
}

}  // namespace

class TestPvTuning : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The estimate the GUI shows before Start (finetuning.md): ~26 bytes per quantized weight in PV
    // mode, ~8 in global mode, plus both models and the activations of one pass.
    void memoryEstimateFollowsTheTrainableState() {
        ModelInfo llama7b;
        llama7b.dim = 4096;
        llama7b.hiddenDim = 11008;
        llama7b.nLayers = 32;
        llama7b.nHeads = 32;
        llama7b.nKvHeads = 32;
        llama7b.vocabSize = 32000;
        llama7b.contextLength = 4096;
        llama7b.bytesOnDisk = 13'476'839'424;
        ModelInfo student = llama7b;
        student.bytesOnDisk = 2'400'000'000;
        FinetuneOptions o;
        o.seqLen = 1024;
        const int64_t quantized = 32LL * (4 * 4096 * 4096 + 3 * 4096 * 11008);
        const MemoryEstimate pv = estimateFinetuneMemory(student, llama7b, o);
        QVERIFY(pv.weightBytes >= quantized * 26 + llama7b.bytesOnDisk + student.bytesOnDisk);
        QVERIFY(pv.totalBytes() > 130'000'000'000LL);  // the paper trains 7B models on GPUs
        o.mode = FinetuneMode::Global;
        const MemoryEstimate global = estimateFinetuneMemory(student, llama7b, o);
        QCOMPARE(pv.weightBytes - global.weightBytes, quantized * 18);
        QCOMPARE(pv.workingBytes, global.workingBytes);  // the same passes through the model
        // Longer windows need more activations; a PV run that cannot fit suggests global mode.
        o.seqLen = 4096;
        QVERIFY(estimateFinetuneMemory(student, llama7b, o).workingBytes > global.workingBytes);
        MemoryEstimate small = pv;
        small.availableBytes = 24LL << 30;
        QVERIFY(!small.fits());
        if (!pv.fits()) QVERIFY(pv.whatWouldFit.find("global") != std::string::npos);
    }

    void klIsZeroWhenStudentIsTeacher() {
        auto model = makeTinyModel(tinyConfig(), freshSeed());
        auto twin = makeTinyModel(tinyConfig(), 7);
        auto twin2 = makeTinyModel(tinyConfig(), 7);
        auto tokens = at::randint(tinyConfig().vocabSize, {2, 16}, at::kLong);
        c10::NoGradGuard noGrad;
        const at::Tensor h = trunkHidden(*model, tokens);
        QCOMPARE(chunkedKd(*model, h, *model, h, 5, 0.0).klSum, 0.0);
        QCOMPARE(chunkedKd(*twin, trunkHidden(*twin, tokens), *twin2, trunkHidden(*twin2, tokens), 7, 0.0).klSum, 0.0);
        QCOMPARE(klDivergenceSum(model->forward(tokens), model->forward(tokens)).item<double>(), 0.0);
        // And positive for a different model.
        QVERIFY(chunkedKd(*model, h, *twin, trunkHidden(*twin, tokens), 5, 0.0).klSum > 0);
    }

    void chunkedGradientsEqualUnchunked() {
        const uint64_t seed = freshSeed();
        auto teacher = makeTinyModel(tinyConfig(), seed);
        auto student = makeTinyAqlmModel(*teacher, QuantScheme::parse("2x4g4"), seed + 1);
        TrainableStudent trainable(*student, /*trainEmbeddings=*/true, /*withBuffers=*/false);
        auto tokens = at::randint(tinyConfig().vocabSize, {3, 11}, at::kLong);
        const double scale = 1.0 / double(tokens.numel());
        at::Tensor teacherHidden, teacherLogits;
        {
            c10::NoGradGuard noGrad;
            teacherHidden = trunkHidden(*teacher, tokens);
            teacherLogits = teacher->forward(tokens);
        }
        trainable.beginStep();
        double chunked = 0;
        {
            c10::AutoGradMode enable(true);
            chunked = chunkedKd(*teacher, teacherHidden, *student, trunkHidden(*student, tokens), 7, scale).klSum;
        }
        trainable.propagateToParameters();
        const auto chunkedGrads = gradients(trainable);

        trainable.beginStep();
        double whole = 0;
        {
            c10::AutoGradMode enable(true);
            const at::Tensor loss = klDivergenceSum(teacherLogits, student->forward(tokens)) * scale;
            loss.backward();
            whole = loss.item<double>() / scale;
        }
        trainable.propagateToParameters();
        const auto wholeGrads = gradients(trainable);
        QVERIFY(chunked > 0);
        QVERIFY2(std::abs(chunked - whole) <= 1e-4 * whole, qPrintable(QString("%1 vs %2").arg(chunked).arg(whole)));
        QCOMPARE(chunkedGrads.size(), wholeGrads.size());
        int nonZero = 0;
        for (size_t i = 0; i < chunkedGrads.size(); ++i) {
            QVERIFY(chunkedGrads[i].defined() && wholeGrads[i].defined());
            const double scaleOf = wholeGrads[i].abs().max().item<double>();
            QVERIFY2(at::allclose(chunkedGrads[i], wholeGrads[i], 1e-4, 1e-5 * std::max(scaleOf, 1e-6)),
                     qPrintable(QString("gradient %1 differs").arg(i)));
            nonZero += scaleOf > 0;
        }
        QVERIFY(nonZero == int(chunkedGrads.size()));
    }

    void reencoderFindsNearestCodes() {
        at::manual_seed(freshSeed());
        const int64_t M = 2, K = 8, g = 3, n = 40;
        auto codebooks = at::randn({M, K, 1, g});
        auto targets = at::randn({n, g});
        auto initial = at::randint(K, {n, M}, at::kLong);
        // Beam >= K makes two codebooks exact; M = 1 is exact with any beam.
        const at::Tensor codes = reencodeNearest(targets, codebooks, initial, int(K));
        const at::Tensor codes1 = reencodeNearest(targets, codebooks.narrow(0, 0, 1), initial.narrow(1, 0, 1), 1);
        auto books = codebooks.reshape({M, K, g});
        for (int64_t i = 0; i < n; ++i) {
            double best = 1e30, best1 = 1e30;
            int64_t bi = -1, bj = -1, b1 = -1;
            for (int64_t a = 0; a < K; ++a) {
                const double d1 = (targets[i] - books[0][a]).pow(2).sum().item<double>();
                if (d1 < best1) best1 = d1, b1 = a;
                for (int64_t b = 0; b < K; ++b) {
                    const double d = (targets[i] - books[0][a] - books[1][b]).pow(2).sum().item<double>();
                    if (d < best) best = d, bi = a, bj = b;
                }
            }
            QCOMPARE(codes[i][0].item<int64_t>(), bi);
            QCOMPARE(codes[i][1].item<int64_t>(), bj);
            QCOMPARE(codes1[i][0].item<int64_t>(), b1);
        }
        // Greedy (beam 1) is never worse than where it started.
        const at::Tensor greedy = reencodeNearest(targets, codebooks, initial, 1);
        auto err = [&](const at::Tensor& c) {
            return (targets - at::embedding(books[0], c.select(1, 0)) - at::embedding(books[1], c.select(1, 1))).pow(2).sum(-1);
        };
        QVERIFY((err(greedy) <= err(initial) + 1e-6).all().item<bool>());
    }

    void pvStepWithTauOneGivesNearestCodesOfTheBuffer() {
        at::manual_seed(freshSeed());
        for (const char* text : {"2x3g2", "1x4g2"}) {
            const QuantScheme scheme = QuantScheme::parse(text);
            const int64_t dOut = 6, dIn = 8, K = scheme.codebookSize(), M = scheme.numCodebooks;
            TrainableAqlmLayer layer;
            layer.scheme = scheme;
            layer.codes = at::randint(K, {dOut, dIn / 2, M}, at::kLong);
            layer.codebooks = at::randn({M, K, 1, 2});
            layer.scales = at::rand({dOut, 1, 1, 1}) + 0.5;
            const at::Tensor before = layer.codes.clone();
            PvSettings s;
            s.tau = 1.0;
            s.codeLearningRate = 1.0;  // the buffer moves far from Ŵ
            s.beamSize = int(K);
            s.trustRatio = 0;
            s.deltaDecay = 0;
            const int64_t changed = pvUpdateLayer(layer, at::randn({dOut, dIn}), s, 1);
            QVERIFY(changed > 0);
            QCOMPARE(changed, layer.codes.ne(before).any(-1).sum().item<int64_t>());
            // Brute force over every code combination of every group against B / scale.
            const at::Tensor books = layer.codebooks.reshape({M, K, 2});
            for (int64_t i = 0; i < dOut; ++i)
                for (int64_t j = 0; j < dIn / 2; ++j) {
                    const at::Tensor target = layer.buffer[i].narrow(0, 2 * j, 2) / layer.scales[i].item<double>();
                    double best = 1e30;
                    std::vector<int64_t> arg(M);
                    for (int64_t c = 0; c < (M == 1 ? K : K * K); ++c) {
                        at::Tensor v = books[0][c % K];
                        if (M == 2) v = v + books[1][c / K];
                        const double d = (target - v).pow(2).sum().item<double>();
                        if (d < best) best = d, arg = {c % K, c / K};
                    }
                    for (int64_t m = 0; m < M; ++m) QCOMPARE(layer.codes[i][j][m].item<int64_t>(), arg[m]);
                }
            // tau = 0 changes no code.
            const at::Tensor now = layer.codes.clone();
            s.tau = 0;
            QCOMPARE(pvUpdateLayer(layer, at::randn({dOut, dIn}), s, 2), int64_t(0));
            QVERIFY(at::equal(now, layer.codes));
        }
    }

    void trustRatioBoundsTheChange() {
        at::manual_seed(freshSeed());
        const QuantScheme scheme = QuantScheme::parse("1x4g2");
        TrainableAqlmLayer layer;
        layer.scheme = scheme;
        layer.codes = at::randint(16, {16, 8, 1}, at::kLong);
        layer.codebooks = at::randn({1, 16, 1, 2});
        layer.scales = at::ones({16, 1, 1, 1});
        const at::Tensor w0 = aqlmDecode(layer.codes, layer.codebooks, layer.scales);
        PvSettings s;
        s.tau = 1.0;
        s.codeLearningRate = 1.0;
        s.beamSize = 1;
        s.trustRatio = 0.05;
        const int64_t changed = pvUpdateLayer(layer, at::randn({16, 16}), s, 1);
        const double delta = (aqlmDecode(layer.codes, layer.codebooks, layer.scales) - w0).norm().item<double>();
        QVERIFY(changed >= 1);
        QVERIFY(changed == 1 || delta <= 0.05 * w0.norm().item<double>() + 1e-6);
        QVERIFY(changed < 16 * 8);
    }

    void tauZeroPvStepEqualsGlobalStep() {
        const uint64_t seed = freshSeed();
        auto teacher = makeTinyModel(tinyConfig(), seed);
        auto global = makeTinyAqlmModel(*teacher, QuantScheme::parse("1x4g4"), seed + 1);
        auto pv = makeTinyAqlmModel(*teacher, QuantScheme::parse("1x4g4"), seed + 1);
        const FinetuneData data = randomData(tinyConfig().vocabSize, 16, seed);
        QTemporaryDir dir;
        FinetuneOptions o;
        o.steps = 1;
        o.tokensPerStep = 64;
        o.evalEvery = 1;
        o.learningRate = 1e-2;
        o.mode = FinetuneMode::Global;
        const auto a = finetuneModel(*global, *teacher, data, o, (dir.path() + "/g").toStdString(), {}, nullptr, nullptr);
        o.mode = FinetuneMode::Pv;
        o.tau = 0;
        o.codeLearningRate = 1.0;
        CancelAtStep steps;
        const auto b = finetuneModel(*pv, *teacher, data, o, (dir.path() + "/p").toStdString(), {}, &steps, nullptr);
        QCOMPARE(steps.changed, std::vector<int64_t>{0});
        QVERIFY(a.bestStep == 1 && b.bestStep == 1);  // the step improved, so the kept state is the stepped one
        QCOMPARE(a.finalKl, b.finalKl);
        for (int64_t l = 0; l < global->numBlocks(); ++l) {
            QVERIFY(at::equal(global->block(l).attnNorm, pv->block(l).attnNorm));
            for (Sublayer s : kAllSublayers) {
                const auto& x = static_cast<const AqlmLinear&>(*global->block(l).linear(s));
                const auto& y = static_cast<const AqlmLinear&>(*pv->block(l).linear(s));
                QVERIFY(at::equal(x.codes(), y.codes()));
                QVERIFY(at::equal(x.codebooks(), y.codebooks()));
                QVERIFY(at::equal(x.scales(), y.scales()));
            }
        }
        QVERIFY(at::equal(global->finalNorm(), pv->finalNorm()));
        QVERIFY(!at::equal(global->finalNorm(), teacher->finalNorm()));  // it did train
    }

    void shortPvRunOnStories260kLowersKlAndResumesExactly() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        AQLM_REQUIRE_SHARED(kTinyCalibration);
        QTemporaryDir dir;
        const std::string teacher = sharedPath("models/stories260K/stories260K.bin");
        const std::string student = (dir.path() + "/student").toStdString();
        compressModel(teacher, student, tinyCompressionOptions(), nullptr, nullptr);

        FinetuneRequest request{student, teacher, (dir.path() + "/a").toStdString(), {}};
        FinetuneOptions& o = request.options;
        o.dataFiles = {sharedPath(kTinyCalibration)};
        o.steps = 6;
        o.tokensPerStep = 512;
        o.seqLen = 64;
        o.evalEvery = 2;
        o.evalWindows = 16;
        o.learningRate = 1e-3;
        o.codeLearningRate = 1e-2;
        o.tau = 0.02;
        o.seed = 3;
        CancelAtStep watch;
        const FinetuneSummary a = runFinetune(request, &watch, nullptr);
        QCOMPARE(a.steps, int64_t(6));
        QVERIFY2(a.bestKl < a.initialKl, qPrintable(QString("KL %1 -> %2").arg(a.initialKl).arg(a.bestKl)));
        int64_t changed = 0;
        for (int64_t c : watch.changed) changed += c;
        QVERIFY(changed > 0);
        QCOMPARE(int(a.evaluations.size()), 4);  // steps 0, 2, 4, 6

        // The written folder loads with valid codes of the same scheme.
        LoadedModel out = loadModel(request.outDir);
        const auto& q = dynamic_cast<const AqlmLinear&>(*out.model->block(0).linear(Sublayer::Q));
        QCOMPARE(q.scheme().toString(), tinyCompressionOptions().scheme.toString());
        for (int64_t l = 0; l < out.model->numBlocks(); ++l)
            for (Sublayer s : kAllSublayers) {
                const at::Tensor c = dynamic_cast<const AqlmLinear&>(*out.model->block(l).linear(s)).codes();
                QVERIFY(c.min().item<int>() >= 0 && c.max().item<int64_t>() < q.scheme().codebookSize());
            }
        QVERIFY(!fs::exists(fs::path(request.outDir) / ".aqlm-finetune"));

        // Cancelled after step 5: the checkpoint of step 4 stays (valid codes); resume finishes it
        // to the same bytes.
        FinetuneRequest b = request;
        b.outDir = (dir.path() + "/b").toStdString();
        CancelToken cancel;
        CancelAtStep stopper;
        stopper.cancel = &cancel;
        stopper.at = 5;
        bool cancelled = false;
        try {
            runFinetune(b, &stopper, &cancel);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        const fs::path state = fs::path(b.outDir) / ".aqlm-finetune" / "state-4.safetensors";  // named by its step
        std::map<std::string, std::string> meta;
        const NamedTensors saved = loadNamedTensors(state.string(), &meta);
        QCOMPARE(meta["step"], std::string("4"));
        expectValidCodes(saved, q.scheme().codebookSize());
        bool refused = false;
        try {
            runFinetune(b, nullptr, nullptr);  // without resume: refused, nothing touched
        } catch (const EngineError&) {
            refused = true;
        }
        QVERIFY(refused);
        b.options.resume = true;
        expectDamagedStateRefused(b, fs::path(b.outDir) / ".aqlm-finetune" / "state.json");
        const FinetuneSummary resumed = runFinetune(b, nullptr, nullptr);
        QCOMPARE(resumed.resumedFromStep, int64_t(4));
        QCOMPARE(resumed.bestPerplexity, a.bestPerplexity);
        QCOMPARE(resumed.finalKl, a.finalKl);
        expectSameFile(request.outDir + "/model.safetensors", b.outDir + "/model.safetensors");
    }
};

QTEST_GUILESS_MAIN(TestPvTuning)
#include "tst_pv_tuning.moc"
