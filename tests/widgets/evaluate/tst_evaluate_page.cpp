// The Evaluate page with the real stories260K model: a run stores one evaluation with the dataset's
// sha256, the sequence length and the window count and plots its running perplexity; Measure speed
// stores a speed row; bad input (no model, missing, empty or too short a file) gives a message.
#include "widgets/bridge/engine_worker.h"
#include "widgets/core/library_service.h"
#include "widgets/evaluate/evaluate_page.h"
#include "widgets/evaluate/perplexity_plot.h"

#include "engine/library/sha256.h"

#include "shared_paths.h"

#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest/QtTest>

using namespace aqlm;
using namespace aqlm::ui;
using namespace aqlm::test;

namespace {
const char* kModel = "models/stories260K/stories260K.bin";
const char* kText = "data/tinystories/tinystories_valid_head.txt";
constexpr int kWaitMs = 300000;

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) return {};
    return path;
}
}  // namespace

class TestEvaluatePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        m_library = std::make_unique<LibraryService>(m_dir.filePath(QString("lib%1.sqlite3").arg(m_count++)));
        ModelRecord m;
        m.name = "stories260K";
        m.path = sharedPath(kModel);
        m.format = "llama2c";
        m_model = m_library->db().addModel(m);
        m_library->notifyChanged();
    }
    void cleanup() { m_library.reset(); }

    // Issue 15.5: with no models the page says where they come from instead of an empty list.
    void emptyLibraryShowsAHint() {
        QTemporaryDir dir;
        LibraryService empty(dir.filePath("empty.sqlite3"));
        EvaluatePage page(&empty);
        page.show();
        QVERIFY(page.emptyHint()->isVisible());
        QVERIFY(page.emptyHint()->text().contains("Library page"));
        ModelRecord m;
        m.name = "m";
        m.path = "/m/m.bin";
        empty.db().addModel(m);
        empty.notifyChanged();
        QVERIFY(!page.emptyHint()->isVisible());
    }

    void evaluatesAndStores() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kText);
        EvaluatePage page(m_library.get());
        page.worker()->setProgressIntervalMs(0);  // every batch reaches the plot
        QCOMPARE(page.modelList()->count(), 1);
        QVERIFY(page.memoryLabel()->text().isEmpty());  // nothing checked, nothing estimated
        page.setModelChecked(m_model, true);
        // The checked model's estimate, next to the machine's available memory.
        QVERIFY2(page.memoryLabel()->text().startsWith("Memory: about"), qPrintable(page.memoryLabel()->text()));
        const QString text = QString::fromStdString(sharedPath(kText));
        page.setDataPath(text);
        page.seqLenSpin()->setValue(64);
        page.maxWindowsSpin()->setValue(6);
        QSignalSpy finished(&page, &EvaluatePage::runFinished);
        page.run();
        QVERIFY(page.isRunning());
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY2(page.messageLabel()->isHidden(), qPrintable(page.messageLabel()->text()));

        const auto evaluations = m_library->db().listEvaluations(m_model);
        QCOMPARE(evaluations.size(), size_t(1));
        const EvaluationRecord& e = evaluations[0];
        QCOMPARE(e.datasetSha256, sha256File(text.toStdString()));
        QCOMPARE(QFileInfo(QString::fromStdString(e.datasetPath)).canonicalFilePath(), QFileInfo(text).canonicalFilePath());
        QCOMPARE(e.seqLen, int64_t(64));
        QCOMPARE(e.windows, int64_t(6));
        QCOMPARE(e.predictions, int64_t(6 * 63));
        QVERIFY(e.perplexity > 1 && e.perplexity < 512);  // better than uniform over the 512-token vocabulary
        QVERIFY(e.stdError > 0);
        QVERIFY(qAbs(std::exp(e.meanNll) - e.perplexity) < 1e-6 * e.perplexity);

        // One curve, its points at increasing window counts ending at the stored result.
        QCOMPARE(page.plot()->curveCount(), 1);
        QCOMPARE(page.plot()->curveName(0), QString("stories260K"));
        const int n = page.plot()->pointCount(0);
        QVERIFY(n >= 2);  // batches of 4 windows: a running point, then the final one
        QCOMPARE(page.plot()->pointAt(0, n - 1), QPointF(6, e.perplexity));
        QCOMPARE(page.progressBar()->value(), page.progressBar()->maximum());
        QCOMPARE(page.resultsTable()->rowCount(), 1);
        QVERIFY(page.resultsTable()->item(0, 2)->text().startsWith(QString::number(e.perplexity, 'f', 3)));
    }

    void measuresSpeed() {
        AQLM_REQUIRE_SHARED(kModel);
        EvaluatePage page(m_library.get());
        page.setModelChecked(m_model, true);
        QSignalSpy finished(&page, &EvaluatePage::runFinished);
        page.measureSpeed();
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY2(page.messageLabel()->isHidden(), qPrintable(page.messageLabel()->text()));
        const auto speeds = m_library->db().listSpeedMeasurements(m_model);
        QCOMPARE(speeds.size(), size_t(1));
        QVERIFY(speeds[0].decodeTokensPerSecond > 0);
        QVERIFY(speeds[0].prefillTokensPerSecond > 0);
        QCOMPARE(speeds[0].kernel, std::string("dense fp32"));
        QVERIFY(speeds[0].threads >= 1);
        QCOMPARE(page.resultsTable()->rowCount(), 1);
    }

    void badInputGivesMessages() {
        EvaluatePage page(m_library.get());
        QSignalSpy finished(&page, &EvaluatePage::runFinished);

        page.run();  // nothing checked
        QVERIFY(!page.messageLabel()->isHidden());
        QVERIFY(page.messageLabel()->text().contains("model"));
        QVERIFY(!page.isRunning());

        page.setModelChecked(m_model, true);
        const QString missing = m_dir.filePath("missing.txt");
        page.setDataPath(missing);
        page.run();
        QVERIFY(page.messageLabel()->text().contains(missing));
        QVERIFY(page.messageLabel()->text().contains("not found"));
        QVERIFY(!page.isRunning());

        const QString empty = writeFile(m_dir, "empty.txt", {});
        page.setDataPath(empty);
        page.run();
        QVERIFY(page.messageLabel()->text().contains(empty));
        QVERIFY(page.messageLabel()->text().contains("empty"));
        QVERIFY(!page.isRunning());
        QCOMPARE(finished.count(), 0);
        QVERIFY(m_library->db().listEvaluations(m_model).empty());
    }

    void engineErrorsReachTheMessage() {
        AQLM_REQUIRE_SHARED(kModel);
        EvaluatePage page(m_library.get());
        page.setModelChecked(m_model, true);
        // Too short for one window of 64 tokens: the engine refuses, the page says why.
        page.setDataPath(writeFile(m_dir, "short.txt", "Once upon a time."));
        page.seqLenSpin()->setValue(64);
        QSignalSpy finished(&page, &EvaluatePage::runFinished);
        page.run();
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY(!page.messageLabel()->isHidden());
        QVERIFY2(page.messageLabel()->text().contains("fewer than one window"), qPrintable(page.messageLabel()->text()));
        QVERIFY(page.messageLabel()->text().contains("stories260K"));
        QVERIFY(m_library->db().listEvaluations(m_model).empty());
    }

    void cancelStopsTheQueue() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kText);
        ModelRecord second;
        second.name = "stories260K copy";
        second.path = sharedPath("models/stories260K/./stories260K.bin");  // another library row, same file
        second.format = "llama2c";
        const int64_t other = m_library->db().addModel(second);
        m_library->notifyChanged();
        EvaluatePage page(m_library.get());
        page.setModelChecked(m_model, true);
        page.setModelChecked(other, true);
        page.setDataPath(QString::fromStdString(sharedPath(kText)));
        QSignalSpy finished(&page, &EvaluatePage::runFinished);
        page.run();
        page.cancel();  // the engine checks the token before its first batch
        QVERIFY(finished.wait(kWaitMs));
        QCOMPARE(finished.count(), 1);
        QVERIFY(!page.isRunning());
        QVERIFY(page.messageLabel()->text().contains("Cancelled"));
        QVERIFY(m_library->db().listEvaluations(m_model).empty());
        QVERIFY(m_library->db().listEvaluations(other).empty());  // the second model never started
        QCOMPARE(page.resultsTable()->rowCount(), 0);
    }

    void withoutLibrary() {
        EvaluatePage page(nullptr);
        QVERIFY(page.messageLabel()->text().contains("library"));
        page.run();  // no crash, nothing starts
        QVERIFY(!page.isRunning());
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LibraryService> m_library;
    int64_t m_model = 0;
    int m_count = 0;
};

QTEST_MAIN(TestEvaluatePage)
#include "tst_evaluate_page.moc"
