// The forward pass, tokenizer, sampler and generator against llama2.c's run.c (stories260K) and the
// training code of reference-7M: ../shared/golden/*.txt.
#include "engine/eval/perplexity.h"
#include "engine/infer/generator.h"
#include "engine/io/text_file.h"
#include "engine/model/model_loader.h"
#include "engine/runtime/threads.h"
#include "golden_file.h"
#include "shared_paths.h"

#include <QtTest/QtTest>
#include <c10/core/GradMode.h>

using namespace aqlm;
using namespace aqlm::test;

namespace {

// Top-5 logits of every prompt position, compared id by id and value by value.
void compareTopLogits(const at::Tensor& logits, const std::vector<TopLogits>& golden, double tolerance) {
    QVERIFY(!golden.empty());
    for (size_t pos = 0; pos < golden.size(); ++pos) {
        auto row = logits[0][static_cast<int64_t>(pos)];
        auto top = row.topk(5);
        for (size_t r = 0; r < golden[pos].top.size(); ++r) {
            const auto [id, value] = golden[pos].top[r];
            QCOMPARE(std::get<1>(top)[static_cast<int64_t>(r)].item<int64_t>(), static_cast<int64_t>(id));
            const double got = row[id].item<float>();
            if (std::abs(got - value) > tolerance)
                QFAIL(qPrintable(QString("pos %1 id %2: logit %3, golden %4").arg(pos).arg(id).arg(got).arg(value)));
        }
    }
}

at::Tensor promptTensor(const std::vector<int32_t>& ids) {
    return at::tensor(std::vector<int64_t>(ids.begin(), ids.end()), at::kLong).view({1, -1});
}

}  // namespace

class TestModelGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        setThreadCount(0);
        c10::GradMode::set_enabled(false);
    }

    void stories260kGreedyMatchesLlama2c() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        const QString golden = readGolden(sharedPath("golden/stories260K.txt"));
        const int start = golden.indexOf("Full token sequence");
        const int end = golden.indexOf("Decoded text");
        QVERIFY(start > 0 && end > start);
        const std::vector<int32_t> expected = parseIds(golden.mid(golden.indexOf('\n', start), end - golden.indexOf('\n', start)));
        QCOMPARE(expected.size(), size_t(257));

        LoadOptions options;
        options.tokenizerPath = sharedPath("models/stories260K/tok512.bin");
        auto loaded = loadModel(sharedPath("models/stories260K/stories260K.bin"), options);
        GenerationRequest request;
        request.promptTokens = loaded.tokenizer->encode("Once upon a time", true);
        QCOMPARE(request.promptTokens, std::vector<int32_t>(expected.begin(), expected.begin() + 5));
        request.maxNewTokens = 252;
        Generator generator(*loaded.model, *loaded.tokenizer);
        const auto result = generator.generate(request);
        QCOMPARE(result.tokens, expected);

        const QString text = quotedBlock(golden, 0);
        QCOMPARE(QString::fromStdString(loaded.tokenizer->decode(result.tokens)), text);
    }

    void stories260kPromptLogits() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        const auto golden = parseTopLogits(readGolden(sharedPath("golden/stories260K.txt")));
        QCOMPARE(golden.size(), size_t(4));
        auto loaded = loadModel(sharedPath("models/stories260K/stories260K.bin"));
        std::vector<int32_t> prompt;
        for (const auto& g : golden) prompt.push_back(g.input);
        // Batched prefill ...
        compareTopLogits(loaded.model->forward(promptTensor(prompt)), golden, 1e-3);
        // ... and one token at a time through the KV cache give the same logits.
        auto cache = loaded.model->makeCache(1, 16);
        std::vector<at::Tensor> steps;
        for (int32_t id : prompt) steps.push_back(loaded.model->forward(promptTensor({id}), &cache));
        compareTopLogits(at::cat(steps, 1), golden, 1e-3);
    }

    void stories260kValidationStoryNll() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        AQLM_REQUIRE_SHARED("data/tinystories/tinystories_valid_head.txt");
        const QString golden = readGolden(sharedPath("golden/stories260K.txt"));
        QRegularExpression nllLine("mean NLL = ([0-9.]+) nats/token");
        const double expectedNll = nllLine.match(golden).captured(1).toDouble();
        QVERIFY(expectedNll > 0);

        const std::string text = readTextFile(sharedPath("data/tinystories/tinystories_valid_head.txt"));
        const size_t firstBreak = text.find("\n\n");
        const size_t secondBreak = text.find("\n\n", firstBreak + 2);
        const std::string story = text.substr(0, secondBreak);
        QCOMPARE(story.size(), size_t(349));

        LoadOptions options;
        options.tokenizerPath = sharedPath("models/stories260K/tok512.bin");
        auto loaded = loadModel(sharedPath("models/stories260K/stories260K.bin"), options);
        const auto tokens = loaded.tokenizer->encode(story, true);
        QCOMPARE(tokens.size(), size_t(171));
        const auto [sum, count] = sequenceNll(*loaded.model, tokens);
        QCOMPARE(count, int64_t(170));
        QVERIFY2(std::abs(sum / count - expectedNll) < 1e-4,
                 qPrintable(QString("mean NLL %1 vs golden %2").arg(sum / count, 0, 'f', 6).arg(expectedNll)));
    }

    void stories260kSeededSampleMatchesLlama2c() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        const QString golden = readGolden(sharedPath("golden/stories260K.txt"));
        const QString expected = quotedBlock(golden, 1);
        QVERIFY(expected.startsWith("Once upon a time"));

        LoadOptions options;
        options.tokenizerPath = sharedPath("models/stories260K/tok512.bin");
        auto loaded = loadModel(sharedPath("models/stories260K/stories260K.bin"), options);
        GenerationRequest request;
        request.promptTokens = loaded.tokenizer->encode("", true);
        request.maxNewTokens = 256;
        request.sampling.temperature = 1.0f;
        request.sampling.topP = 0.9f;
        request.sampling.seed = 133742;
        Generator generator(*loaded.model, *loaded.tokenizer);
        const auto result = generator.generate(request);
        QCOMPARE(QString::fromStdString(result.text).trimmed(), expected.trimmed());
    }

    void reference7mLogitsAndGreedy() {
        AQLM_REQUIRE_SHARED("models/reference-7M/model.bin");
        const QString golden = readGolden(sharedPath("golden/reference-7M.txt"));
        const auto top = parseTopLogits(golden);
        QCOMPARE(top.size(), size_t(5));
        auto loaded = loadModel(sharedPath("models/reference-7M/model.bin"));

        const int promptLine = golden.indexOf("prompt ids:");
        const auto promptIds = parseIds(golden.mid(promptLine + 11, golden.indexOf('\n', promptLine) - promptLine - 11));
        QCOMPARE(loaded.tokenizer->encode("Once upon a time", true), promptIds);
        compareTopLogits(loaded.model->forward(promptTensor(promptIds)), top, 1e-3);

        const int greedyLine = golden.indexOf("greedy 64 new tokens:");
        const auto expected = parseIds(golden.mid(greedyLine + 21, golden.indexOf('\n', greedyLine) - greedyLine - 21));
        QCOMPARE(expected.size(), promptIds.size() + 64);
        GenerationRequest request;
        request.promptTokens = promptIds;
        request.maxNewTokens = 64;
        Generator generator(*loaded.model, *loaded.tokenizer);
        QCOMPARE(generator.generate(request).tokens, expected);
    }

    void reference7mPerplexity() {
        AQLM_REQUIRE_SHARED("models/reference-7M/model.bin");
        AQLM_REQUIRE_SHARED("data/tinystories/tinystories_valid_head.txt");
        const QString golden = readGolden(sharedPath("golden/reference-7M.txt"));
        QRegularExpression line("tokens (\\d+) windows (\\d+) predictions (\\d+) mean_nll ([0-9.]+) ppl ([0-9.]+)");
        const auto m = line.match(golden);
        QVERIFY(m.hasMatch());

        auto loaded = loadModel(sharedPath("models/reference-7M/model.bin"));
        const auto tokens = loaded.tokenizer->encode(readTextFile(sharedPath("data/tinystories/tinystories_valid_head.txt")), true);
        QCOMPARE(static_cast<qint64>(tokens.size()), m.captured(1).toLongLong());
        PerplexityOptions options;
        options.seqLen = 256;
        const EvalReport report = evaluatePerplexity(*loaded.model, tokens, options);
        QCOMPARE(report.windows, m.captured(2).toLongLong());
        QCOMPARE(report.predictions, m.captured(3).toLongLong());
        const double expectedPpl = m.captured(5).toDouble();
        // "to 4 significant digits"
        QVERIFY2(std::abs(report.perplexity - expectedPpl) < 5e-3,
                 qPrintable(QString("ppl %1 vs golden %2").arg(report.perplexity, 0, 'f', 4).arg(expectedPpl)));
        QVERIFY(std::abs(report.meanNll - m.captured(4).toDouble()) < 1e-4);
        QVERIFY(report.stdError > 0 && report.stdError < report.perplexity);
    }
};

QTEST_GUILESS_MAIN(TestModelGolden)
#include "tst_model_golden.moc"
