// Whole-model fine-tuning in the GUI (issue 13), on stories260K compressed with the tiny preset:
// the Library's "Fine-tune…" dialog checks its input live (Start disabled while anything is wrong)
// and shows a memory estimate; a short PV-Tuning run from it plots every step, cancels and resumes,
// and registers the result as a variant of the fine-tuned model; the Compress page's PV-Tuning
// stage (preset-dependent default) runs after the compression as the same job; the Compare page
// shows the fine-tuned variant with its parent (label, tooltip and arrow).
#include "widgets/bridge/job_controller.h"
#include "widgets/bridge/job_library_recorder.h"
#include "widgets/compare/compare_page.h"
#include "widgets/compare/compare_plot.h"
#include "widgets/compress/compress_page.h"
#include "widgets/compress/compress_settings_form.h"
#include "widgets/core/app_settings.h"
#include "widgets/core/library_service.h"
#include "widgets/core/model_record_info.h"
#include "widgets/library/finetune_dialog.h"
#include "widgets/library/library_page.h"
#include "widgets/plot/finetune_monitor.h"

#include "engine/api/engine_facade.h"

#include "shared_paths.h"
#include "tiny_compression.h"

#include <QComboBox>
#include <QGroupBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QtTest/QtTest>

#include <memory>

using namespace aqlm;
using namespace aqlm::ui;
using namespace aqlm::test;

namespace {
const char* kModel = "models/stories260K/stories260K.bin";
constexpr int kTimeoutMs = 600000;

QString shared(const char* relative) { return QString::fromStdString(sharedPath(relative)); }
}  // namespace

class TestFinetuneGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_data.isValid());
        qputenv("AQLM_STUDIO_DATA", m_data.path().toUtf8());
        if (!sharedExists(kModel) || !sharedExists(kTinyCalibration)) return;  // each test skips
        // The compressed model every test fine-tunes, made once (seconds with the tiny settings).
        m_original = libraryPathOf(shared(kModel));
        m_student = QDir(m_data.path()).filePath("models/stories260K-1x8g4");
        runCompression(m_original.toStdString(), m_student.toStdString(), tinyCompressionOptions(), nullptr, nullptr);
        m_library = std::make_unique<LibraryService>(AppSettings::libraryPath());
        ModelLibrary& db = m_library->db();
        m_originalId = db.addModel(inspectModelRecord(m_original));
        m_studentId = db.addModel(inspectModelRecord(m_student));
        db.addVariant(m_studentId, m_originalId, "aqlm", "1x8g4", "{}", 2.0, 3.0);
    }

    void dialogChecksItsInputLive() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kTinyCalibration);
        JobController jobs;
        JobLibraryRecorder recorder(&jobs, m_library.get());
        LibraryPage page(m_library.get());
        page.setJobs(&jobs, &recorder);
        // Only a compressed variant can be fine-tuned.
        QVERIFY(page.selectModel(m_originalId));
        QVERIFY(!page.finetuneAction()->isEnabled());
        QVERIFY(page.showFinetune(m_originalId) == nullptr);
        QVERIFY(page.selectModel(m_studentId));
        QVERIFY(page.finetuneAction()->isEnabled());
        page.finetuneAction()->trigger();
        FinetuneDialog* dialog = page.finetuneDialog();
        QVERIFY(dialog);

        // Defaults: the variant's original as teacher, the TinyStories training text, PV-Tuning,
        // a new folder beside the student; everything valid, with a memory estimate.
        QCOMPARE(dialog->teacherPath(), m_original);
        QVERIFY2(dialog->dataEdit()->text().endsWith("tinystories_train_head_2MiB.txt"), qPrintable(dialog->dataEdit()->text()));
        QCOMPARE(dialog->options().mode, FinetuneMode::Pv);
        QCOMPARE(dialog->outDir(), m_student + "-pv");
        QVERIFY2(dialog->problems().isEmpty(), qPrintable(dialog->problems().join("; ")));
        QVERIFY(dialog->startButton()->isEnabled());
        QVERIFY2(dialog->memoryText().contains("MB") || dialog->memoryText().contains("GB"), qPrintable(dialog->memoryText()));
        QVERIFY(!dialog->advancedPanel()->isVisibleTo(dialog));
        dialog->advancedButton()->setChecked(true);
        QVERIFY(dialog->advancedPanel()->isVisibleTo(dialog));

        // Each problem disables Start at once and says what is wrong; fixing it enables Start again.
        const QString text = dialog->dataEdit()->text();
        dialog->dataEdit()->setText(m_data.filePath("no-such-text.txt"));
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(dialog->problems().join(" ").contains("no-such-text.txt"));
        dialog->dataEdit()->setText(text);
        QVERIFY(dialog->startButton()->isEnabled());

        dialog->outEdit()->setText(m_student);  // exists and holds the student
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(dialog->problems().join(" ").contains("not empty"));
        dialog->outEdit()->clear();
        QVERIFY(!dialog->startButton()->isEnabled());
        dialog->outEdit()->setText(m_student + "-pv");
        QVERIFY(dialog->startButton()->isEnabled());

        dialog->teacherBox()->setCurrentIndex(-1);
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(dialog->problems().join(" ").contains("teacher"));
        dialog->teacherBox()->setCurrentIndex(dialog->teacherBox()->findData(m_original));
        QVERIFY(dialog->startButton()->isEnabled());

        // Global mode proposes its own folder name.
        dialog->modeBox()->setCurrentIndex(dialog->modeBox()->findData(int(FinetuneMode::Global)));
        QCOMPARE(dialog->outDir(), m_student + "-ft");
    }

    void libraryActionRunsPvTuningCancelsResumesAndRegistersTheVariant() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kTinyCalibration);
        JobController jobs;
        JobLibraryRecorder recorder(&jobs, m_library.get());
        LibraryPage page(m_library.get());
        page.setJobs(&jobs, &recorder);
        FinetuneDialog* dialog = page.showFinetune(m_studentId);
        QVERIFY(dialog);
        dialog->stepsBox()->setValue(8);
        dialog->tokensPerStepBox()->setValue(256);
        dialog->evalEveryBox()->setValue(2);
        m_pvOut = dialog->outDir();

        // Cancelled at step 3 or a little later (checkpoints every 2 steps), then resumed to the end.
        QSignalSpy cancelled(&jobs, &JobController::cancelled);
        QSignalSpy failed(&jobs, &JobController::failed);
        QSignalSpy registered(dialog, &FinetuneDialog::variantRegistered);
        auto stop = connect(&jobs, &JobController::finetuneStep, dialog, [dialog](const FinetuneStepReport& r) {
            if (r.step == 3) dialog->cancel();
        });
        dialog->start();
        QVERIFY(dialog->isRunning());
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(dialog->cancelButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        disconnect(stop);
        QVERIFY(dialog->resumeButton()->isEnabled());
        QVERIFY(!dialog->startButton()->isEnabled());
        QVERIFY(QFileInfo::exists(m_pvOut + "/.aqlm-finetune/state.json"));
        const qint64 runId = recorder.runIdOfJob(dialog->jobId());
        QVERIFY(runId > 0);
        QCOMPARE(m_library->db().findRun(runId)->status, RunStatus::Cancelled);

        QSignalSpy steps(&jobs, &JobController::finetuneStep);
        QSignalSpy finished(&jobs, &JobController::finetuneFinished);
        dialog->resume();
        QTRY_VERIFY_WITH_TIMEOUT(registered.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(finished.count(), 1);
        const FinetuneSummary summary = finished.first().at(0).value<FinetuneSummary>();
        QCOMPARE(summary.steps, qint64(8));
        QVERIFY(summary.resumedFromStep >= 2);  // from a checkpoint, not from scratch
        QCOMPARE(steps.first().at(0).value<FinetuneStepReport>().step, summary.resumedFromStep + 1);
        QCOMPARE(qint64(dialog->monitor()->stepCount()), 8 - summary.resumedFromStep);
        QVERIFY(dialog->monitor()->evaluationCount() >= 1);
        QCOMPARE(dialog->monitor()->progressBar()->value(), 8);

        // The result is a variant of the student (the parent), the run is complete and points at it.
        const qint64 modelId = dialog->registeredModelId();
        QVERIFY(modelId > 0);
        const auto variant = m_library->db().findVariantOf(modelId);
        QVERIFY(variant);
        QCOMPARE(variant->baseModelId, m_studentId);
        QCOMPARE(QString::fromStdString(variant->scheme), QString("1x8g4"));
        QVERIFY(QString::fromStdString(variant->settingsJson).contains("\"mode\":\"pv\""));
        const auto run = m_library->db().findRun(runId);
        QCOMPARE(run->status, RunStatus::Complete);
        QCOMPARE(QString::fromStdString(run->method), QString("pv"));
        QVERIFY(run->variantModelId && *run->variantModelId == modelId);
        QCOMPARE(QString::fromStdString(m_library->db().findModel(modelId)->path), libraryPathOf(m_pvOut));
        // Start is offered again, for a new folder (the old one holds the result now).
        QVERIFY(dialog->outDir() != m_pvOut);
        QVERIFY(dialog->startButton()->isEnabled());
        m_pvId = modelId;
    }

    void compressPageRunsThePvStageAfterCompression() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kTinyCalibration);
        JobController jobs;
        JobLibraryRecorder recorder(&jobs, m_library.get());
        CompressPage page(&jobs);
        page.setLibrary(m_library.get());
        page.setJobRecorder(&recorder);
        CompressSettingsForm* form = page.settingsForm();
        form->setModelPath(m_original);
        // The stage is on by default for the 2-bit presets, off for the quick test preset.
        QVERIFY(form->applyPresetNamed("2-bit fast on CPU 2x8 g8"));
        QVERIFY(page.pvStageBox()->isChecked());
        QVERIFY(form->applyPresetNamed("GPTQ 4-bit g128"));
        QVERIFY(!page.pvStageBox()->isChecked());
        QVERIFY(!page.pvStageBox()->isEnabled());  // integer methods have no codes to tune
        QVERIFY(form->applyPresetNamed("Tiny test 1x8 g4"));
        QVERIFY(!page.pvStageBox()->isChecked());
        QVERIFY(page.pvStageBox()->isEnabled());

        page.pvStageBox()->setChecked(true);
        page.pvStepsBox()->setValue(2);
        form->setCalibrationFile(shared(kTinyCalibration));
        const QString out = QDir(m_data.path()).filePath("models/staged-1x8g4");
        form->setOutDir(out);
        form->setEvaluateAfter(false);
        QVERIFY2(form->canStart(), qPrintable(form->problems().join("; ")));

        QSignalSpy compressed(&jobs, &JobController::finished);
        QSignalSpy tuned(&jobs, &JobController::finetuneFinished);
        QSignalSpy failed(&jobs, &JobController::failed);
        QSignalSpy registered(&recorder, &JobLibraryRecorder::finetuneRegistered);
        QSignalSpy ended(&page, &CompressPage::runEnded);
        page.start();
        const int jobId = page.lastJobId();
        QTRY_VERIFY_WITH_TIMEOUT(registered.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        // One job, two stages in order: the compression, then PV-Tuning of its output.
        QCOMPARE(compressed.count(), 1);
        QCOMPARE(tuned.count(), 1);
        QCOMPARE(ended.count(), 1);
        QCOMPARE(jobs.state(jobId), JobController::JobState::Finished);
        QCOMPARE(tuned.first().at(0).value<FinetuneSummary>().steps, qint64(2));
        QVERIFY(page.pvMonitor()->isVisibleTo(&page));
        QCOMPARE(page.pvMonitor()->stepCount(), 2);
        QCOMPARE(registered.first().at(0).toInt(), jobId);

        // Lineage: original <- compressed <- PV-tuned.
        ModelLibrary& db = m_library->db();
        const auto compressedModel = db.findModelByPath(libraryPathOf(out).toStdString());
        QVERIFY(compressedModel);
        QCOMPARE(db.findVariantOf(compressedModel->id)->baseModelId, m_originalId);
        const qint64 pvId = registered.first().at(1).toLongLong();
        QCOMPARE(registered.first().at(2).toLongLong(), qint64(compressedModel->id));
        QCOMPARE(db.findVariantOf(pvId)->baseModelId, compressedModel->id);
        QCOMPARE(QString::fromStdString(db.findModel(pvId)->path), libraryPathOf(out + "-pv"));
        QVERIFY(QFileInfo::exists(out + "-pv/config.json"));
        // The compression's run stays complete.
        QCOMPARE(db.findRun(recorder.runIdOfJob(jobId))->status, RunStatus::Complete);
    }

    void comparePageShowsTheLineage() {
        AQLM_REQUIRE_SHARED(kModel);
        if (!m_pvId) QSKIP("needs the fine-tuned variant of the library test");
        ModelLibrary& db = m_library->db();
        // Perplexities on one text, so both variants get a point.
        for (auto [id, ppl] : {std::pair<qint64, double>{m_originalId, 10.0}, {m_studentId, 14.0}, {m_pvId, 12.0}}) {
            EvaluationRecord e;
            e.modelId = id;
            e.datasetPath = "/data/valid.txt";
            e.datasetSha256 = "feed";
            e.seqLen = 64;
            e.windows = 8;
            e.predictions = 504;
            e.perplexity = ppl;
            db.addEvaluation(e);
        }
        m_library->notifyChanged();
        ComparePage page(m_library.get());
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.setBaseModel(m_originalId);
        ComparePlot* plot = page.plot();
        plot->replot();
        const QString parentName = QString::fromStdString(db.findModel(m_studentId)->name);
        QStringList labels;
        for (int i = 0; i < plot->labelCount(); ++i) labels << plot->labelText(i);
        const int child = int(labels.indexOf(QRegularExpression(".*← " + QRegularExpression::escape(parentName))));
        QVERIFY2(child >= 0, qPrintable(labels.join(" | ")));
        QCOMPARE(plot->lineageArrowCount(), 1);
        const QString tip = plot->toolTipAt(plot->pixelOfPoint(child));
        QVERIFY2(tip.contains("Fine-tuned from: " + parentName), qPrintable(tip));
        QStringList names;
        for (int row = 0; row < page.table()->rowCount(); ++row) names << page.table()->item(row, 0)->text();
        QVERIFY2(names.contains(QString::fromStdString(db.findModel(m_pvId)->name) + " ← " + parentName),
                 qPrintable(names.join(" | ")));
    }

    void cleanupTestCase() { m_library.reset(); }

private:
    QTemporaryDir m_data;
    std::unique_ptr<LibraryService> m_library;
    QString m_original, m_student, m_pvOut;
    qint64 m_originalId = 0, m_studentId = 0, m_pvId = 0;
};

QTEST_MAIN(TestFinetuneGui)
#include "tst_finetune_gui.moc"
