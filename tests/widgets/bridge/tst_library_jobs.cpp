// Compression jobs and the library, end to end on stories260K with the tiny preset: a job started
// from the Compress page is a runs row whose layer/epoch reports reach both the plots and the
// library (fine-tuning losses and per-block results too), the output becomes a variant of its base
// model with a stored perplexity, and the stored reports re-plot the run. Cancel then resume finishes under the same run id; a run a crash left
// 'running' is offered for resume on the next start and finishes in its own output folder.
#include "widgets/bridge/compression_settings_json.h"
#include "widgets/bridge/job_controller.h"
#include "widgets/bridge/job_library_recorder.h"
#include "widgets/compress/compress_page.h"
#include "widgets/compress/compress_settings_form.h"
#include "widgets/core/app_settings.h"
#include "widgets/core/library_service.h"
#include "widgets/core/model_record_info.h"
#include "widgets/library/interrupted_runs.h"
#include "widgets/library/library_tree_model.h"
#include "widgets/library/run_plots_view.h"
#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/run_monitor.h"
#include "widgets/plot/sublayer.h"

#include "engine/library/sha256.h"

#include "shared_paths.h"
#include "tiny_compression.h"

#include <QtTest/QtTest>

#include <cmath>
#include <map>

using namespace aqlm;
using namespace aqlm::ui;
using namespace aqlm::test;

namespace {
const char* kModel = "models/stories260K/stories260K.bin";
const char* kValid = "data/tinystories/tinystories_valid_head.txt";
constexpr int kTimeoutMs = 900000;

QString modelPath() { return QString::fromStdString(sharedPath(kModel)); }

// Points per layer curve among stored epoch reports.
std::map<std::pair<int64_t, std::string>, int> epochCounts(const ModelLibrary& db, int64_t runId) {
    std::map<std::pair<int64_t, std::string>, int> counts;
    for (const EpochReportRecord& e : db.listEpochReports(runId)) ++counts[{e.block, e.layer}];
    return counts;
}

// A job cancelled right after its first block; returns the job id.
int runAndCancelAfterFirstBlock(JobController& jobs, const QString& out) {
    QSignalSpy cancelled(&jobs, &JobController::cancelled);
    QSignalSpy failed(&jobs, &JobController::failed);
    const auto stop = QObject::connect(&jobs, &JobController::blockDone, &jobs,
                                       [&jobs](qint64 block) { if (block == 0) jobs.cancel(); });
    const int id = jobs.enqueue(modelPath(), out, tinyCompressionOptions());
    if (!QTest::qWaitFor([&] { return cancelled.count() + failed.count() > 0; }, kTimeoutMs)) return 0;
    QObject::disconnect(stop);
    return cancelled.count() == 1 ? id : 0;
}
}  // namespace

class TestLibraryJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_data.isValid());
        qputenv("AQLM_STUDIO_DATA", m_data.path().toUtf8());
        QCOMPARE(AppSettings::libraryPath(), QDir(m_data.path()).filePath("library.sqlite3"));
    }

    void jobFromThePageIsRecordedRegisteredAndEvaluated() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kTinyCalibration);
        AQLM_REQUIRE_SHARED(kValid);
        LibraryService library(AppSettings::libraryPath());
        JobController jobs;
        JobLibraryRecorder recorder(&jobs, &library);
        CompressPage page(&jobs);
        page.setLibrary(&library);
        page.setJobRecorder(&recorder);
        CompressSettingsForm* form = page.settingsForm();
        QVERIFY(form->applyPresetNamed("Tiny test 1x8 g4"));
        form->setModelPath(modelPath());
        form->setCalibrationFile(QString::fromStdString(sharedPath(kTinyCalibration)));
        const QString out = QDir(m_data.path()).filePath("models/stories260K-1x8g4");
        form->setOutDir(out);
        const QString valid = QString::fromStdString(sharedPath(kValid));
        form->setEvaluationFile(valid);
        form->setEvaluateAfter(true);
        form->setEvaluationWindows(8);

        QSignalSpy done(&recorder, &JobLibraryRecorder::postProcessingDone);
        QSignalSpy postFailed(&recorder, &JobLibraryRecorder::postProcessingFailed);
        QSignalSpy dbErrors(&recorder, &JobLibraryRecorder::libraryError);
        QSignalSpy jobFailed(&jobs, &JobController::failed);
        QSignalSpy evalProgress(&recorder, &JobLibraryRecorder::evaluationProgress);
        QSignalSpy baseline(&recorder, &JobLibraryRecorder::baselineStored);
        page.start();
        const int jobId = page.lastJobId();
        const qint64 runId = recorder.runIdOfJob(jobId);
        QVERIFY(runId > 0);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() + jobFailed.count() > 0, kTimeoutMs);
        QVERIFY2(jobFailed.isEmpty(), jobFailed.isEmpty() ? "" : qPrintable(jobFailed.at(0).at(0).toString()));
        QVERIFY2(postFailed.isEmpty(), postFailed.isEmpty() ? "" : qPrintable(postFailed.at(0).at(1).toString()));
        QVERIFY2(dbErrors.isEmpty(), dbErrors.isEmpty() ? "" : qPrintable(dbErrors.at(0).at(0).toString()));
        QCOMPARE(done.at(0).at(0).toLongLong(), runId);
        // Issue 15.6: the evaluation after compression reported its progress (windows of 8, an ETA),
        // and the original was measured once on the same text and settings: Compare has its baseline.
        QVERIFY(evalProgress.count() >= 2);
        QCOMPARE(evalProgress.last().at(2).toLongLong(), qint64(8));
        QCOMPARE(evalProgress.last().at(3).toLongLong(), qint64(8));
        QVERIFY(evalProgress.last().at(4).toDouble() >= 0);
        QCOMPARE(baseline.count(), 1);
        QCOMPARE(page.monitor()->progressValue(), page.monitor()->progressMaximum());
        {
            const auto baseId = library.db().findRun(runId)->baseModelId;
            const auto baseEvals = library.db().listEvaluations(baseId);
            QCOMPARE(baseEvals.size(), size_t(1));
            QCOMPARE(baseEvals.front().windows, qint64(8));
            QVERIFY(page.monitor()->logText().contains("baseline"));
        }

        ModelLibrary& db = library.db();
        // The run row: status, timings, output folder, every setting.
        const auto run = db.findRun(runId);
        QVERIFY(run.has_value());
        QCOMPARE(run->status, RunStatus::Complete);
        QCOMPARE(QString::fromStdString(run->outputPath), libraryPathOf(out));
        QVERIFY(run->seconds > 0);
        QVERIFY(run->peakMb > 0);
        QVERIFY(run->startedAt.has_value() && run->finishedAt.has_value());
        CompressionOptions stored;
        PostEvaluation storedEval;
        parseRunSettingsJson(QString::fromStdString(run->settingsJson), &stored, &storedEval);
        QCOMPARE(stored.scheme.toString(), std::string("1x8g4"));
        QCOMPARE(stored.nsamples, int64_t(12));
        QCOMPARE(stored.layer.maxEpochs, 3);
        QCOMPARE(stored.calibrationFiles, std::vector<std::string>{sharedPath(kTinyCalibration)});
        QCOMPARE(storedEval.maxWindows, qint64(8));

        // Layer reports: all 35 stored, and the plotted bars are exactly the stored values.
        const auto layers = db.listLayerReports(runId);
        QCOMPARE(layers.size(), size_t(35));
        QCOMPARE(page.layerPlot()->barCount(), 35);
        for (const LayerReportRecord& l : layers)
            QVERIFY2(page.layerPlot()->valueAt(l.block, sublayerIndex(QString::fromStdString(l.layer))) == l.relError,
                     l.name.c_str());
        // Epoch reports: the live curves hold exactly the stored points.
        const auto epochs = epochCounts(db, runId);
        QCOMPARE(int(epochs.size()), 35);
        QCOMPARE(page.epochPlot()->curveCount(), 35);
        for (const auto& [key, count] : epochs)
            QCOMPARE(page.epochPlot()->pointCount(key.first, QString::fromStdString(key.second)), count);
        // Fine-tuning losses: the live plot holds exactly the stored points, block by block.
        const auto finetune = db.listFinetuneReports(runId);
        QCOMPARE(int(finetune.size()), 5 * 2);  // 5 blocks, 2 fine-tuning epochs each
        QCOMPARE(page.finetunePlot()->pointCount(), int(finetune.size()));
        for (int i = 0; i < int(finetune.size()); ++i) {
            QCOMPARE(page.finetunePlot()->trainAt(i), QPointF(i + 1, finetune[i].trainLoss));
            QVERIFY(page.finetunePlot()->trainAt(i).y() == finetune[i].trainLoss);
            QVERIFY(page.finetunePlot()->validationAt(i).y() == finetune[i].validationLoss);
        }
        // One result per block; per-block perplexity was not asked for, so none is stored.
        const auto blocks = db.listBlockReports(runId);
        QCOMPARE(blocks.size(), size_t(5));
        for (size_t b = 0; b < blocks.size(); ++b) {
            QCOMPARE(blocks[b].block, int64_t(b));
            QVERIFY(blocks[b].seconds > 0);
            QVERIFY(!blocks[b].perplexity.has_value());
        }

        // The variant: a model of its own, linked to the base model (whose details were filled in).
        QVERIFY(run->variantModelId.has_value());
        const qint64 variantId = *run->variantModelId;
        const auto base = db.findModelByPath(libraryPathOf(modelPath()).toStdString());
        QVERIFY(base.has_value());
        QCOMPARE(run->baseModelId, base->id);
        QCOMPARE(base->format, std::string("llama2.c v0"));
        QVERIFY(base->parameters > 0);
        const auto variantModel = db.findModel(variantId);
        QVERIFY(variantModel.has_value());
        QCOMPARE(QString::fromStdString(variantModel->path), libraryPathOf(out));
        QVERIFY2(QString::fromStdString(variantModel->format).startsWith("hf aqlm"), variantModel->format.c_str());
        QCOMPARE(variantModel->bytesOnDisk, diskUsage(out));
        QCOMPARE(variantModel->parameters, base->parameters);
        const auto variant = db.findVariantOf(variantId);
        QVERIFY(variant.has_value());
        QCOMPARE(variant->baseModelId, base->id);
        QCOMPARE(variant->method, std::string("aqlm"));
        QCOMPARE(variant->scheme, std::string("1x8g4"));
        QVERIFY(variant->avgBits > 0 && variant->modelBits > variant->avgBits);

        // Its perplexity, on the chosen text, with the text's sha256.
        const auto evals = db.listEvaluations(variantId);
        QCOMPARE(evals.size(), size_t(1));
        QCOMPARE(evals[0].datasetSha256, sha256File(valid.toStdString()));
        QCOMPARE(QString::fromStdString(evals[0].datasetPath), libraryPathOf(valid));
        QCOMPARE(evals[0].windows, int64_t(8));
        QVERIFY(std::isfinite(evals[0].perplexity) && evals[0].perplexity > 1);
        QVERIFY2(page.monitor()->logText().contains(QString::number(evals[0].perplexity, 'f', 3)),
                 qPrintable(page.monitor()->logText()));

        // The table shows the variant under its base model with that perplexity.
        LibraryTreeModel tree(&library);
        const QModelIndex baseRow = tree.indexOfModel(base->id);
        QCOMPARE(tree.rowCount(baseRow), 1);
        QCOMPARE(tree.modelId(tree.index(0, 0, baseRow)), variantId);
        QCOMPARE(tree.index(0, LibraryTreeModel::BestPerplexity, baseRow).data().toString(),
                 QString::number(evals[0].perplexity, 'f', 3));

        // Reopening the run's plots from the library gives the same bars and curves.
        RunPlotsView view;
        QVERIFY(view.showRun(db, runId));
        QCOMPARE(view.layerPlot()->barCount(), 35);
        for (const LayerReportRecord& l : layers)
            QVERIFY(view.layerPlot()->valueAt(l.block, sublayerIndex(QString::fromStdString(l.layer))) == l.relError);
        QCOMPARE(view.epochPlot()->curveCount(), 35);
        for (const auto& [key, count] : epochs)
            QCOMPARE(view.epochPlot()->pointCount(key.first, QString::fromStdString(key.second)), count);
        QCOMPARE(view.finetunePlot()->pointCount(), page.finetunePlot()->pointCount());
        for (int i = 0; i < page.finetunePlot()->pointCount(); ++i) {
            QVERIFY(view.finetunePlot()->trainAt(i) == page.finetunePlot()->trainAt(i));
            QVERIFY(view.finetunePlot()->validationAt(i) == page.finetunePlot()->validationAt(i));
        }
        QVERIFY2(view.monitor()->logText().contains(RunMonitor::tr("block %1 of %2 done in %3 s").arg(5).arg(5)
                                                        .arg(blocks.back().seconds, 0, 'f', 1)),
                 qPrintable(view.monitor()->logText()));
        // A stored per-block perplexity (evaluation per block on) shows in the block's log line.
        db.addBlockReport({runId, 4, blocks.back().seconds, 42.5});
        QVERIFY(view.showRun(db, runId));
        QVERIFY2(view.monitor()->logText().contains(RunMonitor::tr(", held-out perplexity %1").arg(42.5, 0, 'f', 3)),
                 qPrintable(view.monitor()->logText()));
        QVERIFY(!view.showRun(db, runId + 1000));
    }

    void cancelThenResumeKeepsTheRunId() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kTinyCalibration);
        LibraryService library(AppSettings::libraryPath());
        JobController jobs;
        JobLibraryRecorder recorder(&jobs, &library);
        const QString out = QDir(m_data.path()).filePath("models/cancelled");
        const size_t runsBefore = library.db().listRuns().size();

        const int jobId = runAndCancelAfterFirstBlock(jobs, out);
        QVERIFY(jobId);
        const qint64 runId = recorder.runIdOfJob(jobId);
        QVERIFY(runId > 0);
        QCOMPARE(library.db().findRun(runId)->status, RunStatus::Cancelled);
        const size_t layersAtCancel = library.db().listLayerReports(runId).size();
        QVERIFY(layersAtCancel >= 7 && layersAtCancel < 35);

        QSignalSpy done(&recorder, &JobLibraryRecorder::postProcessingDone);
        QSignalSpy failed(&jobs, &JobController::failed);
        QVERIFY(jobs.resume(jobId));
        QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(recorder.runIdOfJob(jobId), runId);
        QCOMPARE(library.db().listRuns().size(), runsBefore + 1);  // one row for both attempts
        const auto run = library.db().findRun(runId);
        QCOMPARE(run->status, RunStatus::Complete);
        QVERIFY(run->variantModelId.has_value());
        QCOMPARE(library.db().listLayerReports(runId).size(), size_t(35));
        QCOMPARE(library.db().listBlockReports(runId).size(), size_t(5));  // block 0 not doubled
        QVERIFY(library.db().listEvaluations(*run->variantModelId).empty());  // no evaluation asked for
    }

    // Issue 15.6: a finished run whose evaluation was cut short by a quit is measured again at start,
    // with the baseline of its original.
    void interruptedEvaluationIsRequeued() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kValid);
        QTemporaryDir dir;
        // A stand-in for the compressed model: a copy of stories260K with its tokenizer.
        const QString variantDir = dir.filePath("variant");
        QVERIFY(QDir().mkpath(variantDir));
        const QFileInfo source(modelPath());
        for (const QString& name : QDir(source.absolutePath()).entryList(QDir::Files))
            QVERIFY(QFile::copy(source.absoluteDir().filePath(name), QDir(variantDir).filePath(name)));
        LibraryService library(dir.filePath("library.sqlite3"));
        ModelLibrary& db = library.db();
        ModelRecord base = inspectModelRecord(modelPath());
        const int64_t baseId = db.addModel(base);
        ModelRecord variant = inspectModelRecord(QDir(variantDir).filePath(source.fileName()));
        variant.name = "stories260K-copy";
        const int64_t variantId = db.addModel(variant);
        RunRecord run;
        run.baseModelId = baseId;
        run.method = "aqlm";
        PostEvaluation evaluation;
        evaluation.dataPath = QString::fromStdString(sharedPath(kValid));
        evaluation.maxWindows = 3;
        run.settingsJson = runSettingsJson(CompressionOptions{}, evaluation).toStdString();
        const int64_t runId = db.createRun(run);
        db.updateRunStatus(runId, RunStatus::Complete);
        db.setRunResult(runId, variantId, 1.0, 1.0, variantDir.toStdString());

        JobController jobs;
        JobLibraryRecorder recorder(&jobs, &library);
        QSignalSpy done(&recorder, &JobLibraryRecorder::postProcessingDone);
        QSignalSpy failed(&recorder, &JobLibraryRecorder::postProcessingFailed);
        QCOMPARE(recorder.requeueUnfinishedEvaluations(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(1).toString()));
        QCOMPARE(db.listEvaluations(variantId).size(), size_t(1));
        QCOMPARE(db.listEvaluations(baseId).size(), size_t(1));  // the baseline, once
        // Measured now: nothing left to repeat.
        QCOMPARE(recorder.requeueUnfinishedEvaluations(), 0);
    }

    void runLeftRunningIsOfferedForResumeOnStart() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kTinyCalibration);
        const QString out = QDir(m_data.path()).filePath("models/crashed");
        qint64 runId = 0;
        {
            // Session 1 stops after a block; a crash would leave the row 'running'.
            LibraryService library(AppSettings::libraryPath());
            JobController jobs;
            JobLibraryRecorder recorder(&jobs, &library);
            const int jobId = runAndCancelAfterFirstBlock(jobs, out);
            QVERIFY(jobId);
            runId = recorder.runIdOfJob(jobId);
            library.db().updateRunStatus(runId, RunStatus::Running);
        }
        // Another interrupted run, with nothing on disk yet: declined, it becomes cancelled.
        qint64 declinedId = 0;
        {
            LibraryService library(AppSettings::libraryPath());
            RunRecord queued = *library.db().findRun(runId);
            queued.id = 0;
            queued.status = RunStatus::Queued;
            queued.outputPath = QDir(m_data.path()).filePath("models/never-started").toStdString();
            declinedId = library.db().createRun(queued);
            JobController jobs;
            JobLibraryRecorder recorder(&jobs, &library);
            QList<qint64> offered;
            const QList<int> none = offerInterruptedRuns(recorder, library, nullptr, [&](const QList<RunRecord>& runs) {
                for (const RunRecord& r : runs) offered << r.id;
                return false;
            });
            QVERIFY(none.isEmpty());
            QCOMPARE(offered, (QList<qint64>{runId, declinedId}));
            QCOMPARE(library.db().findRun(runId)->status, RunStatus::Cancelled);
            QCOMPARE(library.db().findRun(declinedId)->status, RunStatus::Cancelled);
            QVERIFY(!jobs.isRunning());
            library.db().updateRunStatus(runId, RunStatus::Running);  // crash again, to accept this time
        }

        // Session 3: the start-up check offers the run; accepting resumes it in its folder.
        LibraryService library(AppSettings::libraryPath());
        JobController jobs;
        JobLibraryRecorder recorder(&jobs, &library);
        QSignalSpy finished(&jobs, &JobController::finished);
        QSignalSpy failed(&jobs, &JobController::failed);
        QSignalSpy done(&recorder, &JobLibraryRecorder::postProcessingDone);
        const size_t runsBefore = library.db().listRuns().size();
        QList<qint64> offered;
        const QList<int> resumed = offerInterruptedRuns(recorder, library, nullptr, [&](const QList<RunRecord>& runs) {
            for (const RunRecord& r : runs) offered << r.id;
            return true;
        });
        QCOMPARE(offered, QList<qint64>{runId});
        QCOMPARE(resumed.size(), 1);
        const CompressionJob job = jobs.job(resumed.first());
        QVERIFY(job.options.resume);
        QCOMPARE(job.libraryRunId, runId);
        QCOMPARE(job.outDir, libraryPathOf(out));
        QCOMPARE(recorder.runIdOfJob(resumed.first()), runId);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(finished.at(0).at(0).value<CompressionSummary>().resumedBlocks >= 1);  // continued, not restarted
        QCOMPARE(library.db().listRuns().size(), runsBefore);
        const auto run = library.db().findRun(runId);
        QCOMPARE(run->status, RunStatus::Complete);
        QVERIFY(run->variantModelId.has_value());
        QCOMPARE(library.db().listLayerReports(runId).size(), size_t(35));
        QVERIFY(recorder.interruptedRuns().isEmpty());
    }

    void missingModelWritesNoRow() {
        LibraryService library(AppSettings::libraryPath());
        JobController jobs;
        JobLibraryRecorder recorder(&jobs, &library);
        const size_t runs = library.db().listRuns().size(), models = library.db().listModels().size();
        QSignalSpy failed(&jobs, &JobController::failed);
        const int id = jobs.enqueue("/nonexistent/model.bin", QDir(m_data.path()).filePath("models/none"),
                                    tinyCompressionOptions());
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QVERIFY(failed.at(0).at(0).toString().contains("/nonexistent/model.bin"));
        QCOMPARE(recorder.runIdOfJob(id), qint64(0));
        QCOMPARE(library.db().listRuns().size(), runs);
        QCOMPARE(library.db().listModels().size(), models);
    }

private:
    QTemporaryDir m_data;
};

QTEST_MAIN(TestLibraryJobs)
#include "tst_library_jobs.moc"
