// JobController end to end: a real tiny AQLM compression of stories260K on the worker thread while
// this thread's event loop keeps running; its reports reach the plots; cancel after the first block
// and resume continue where the run stopped. Plus the progress merging of the observer adapter.
#include "widgets/bridge/engine_worker.h"
#include "widgets/bridge/job_controller.h"
#include "widgets/bridge/signal_progress_observer.h"
#include "widgets/core/app_settings.h"
#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/sublayer.h"

#include "isolated_settings.h"
#include "shared_paths.h"
#include "tiny_compression.h"

#include <QtTest/QtTest>

using namespace aqlm;
using namespace aqlm::ui;
using namespace aqlm::test;

namespace {

const char* kModel = "models/stories260K/stories260K.bin";
const char* kCalib = kTinyCalibration;
constexpr int kTimeoutMs = 600000;

CompressionOptions tinyOptions() { return tinyCompressionOptions(); }

}  // namespace

class TestJobController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void progressIsMerged() {
        EngineWorker worker;
        worker.setProgressIntervalMs(60000);  // nothing is due again during this test
        QSignalSpy epochs(&worker, &EngineWorker::epochReported);
        QSignalSpy layers(&worker, &EngineWorker::layerReported);
        QSignalSpy stages(&worker, &EngineWorker::stageChanged);
        SignalProgressObserver observer(&worker, worker.progressIntervalMs());
        observer.onStage(aqlm::Stage::Quantizing, 0, 1);
        for (int e = 0; e < 1000; ++e) {
            EpochReport r;
            r.layer = "self_attn.q_proj";
            r.epoch = e;
            r.relError = 1.0 / (e + 1);
            observer.onEpoch(r);
        }
        QCOMPARE(epochs.count(), 0);  // held back: the interval has not passed
        LayerReport done;
        done.layer = "self_attn.q_proj";
        observer.onLayerDone(done);
        observer.onStage(aqlm::Stage::Finetuning, 0, 1);
        observer.onStage(aqlm::Stage::Saving, 1, 1);
        observer.onStage(aqlm::Stage::Done, 1, 1);
        // The first update (the stage) goes out at once; the epochs are held back and sent as one
        // burst, every one of them and in order, before the layer report; the final stage is never
        // held back.
        QCOMPARE(epochs.count(), 1000);
        for (int e = 0; e < 1000; ++e) QCOMPARE(epochs.at(e).at(0).value<EpochReport>().epoch, e);
        QCOMPARE(layers.count(), 1);
        QCOMPARE(stages.count(), 2);
        QCOMPARE(stages.at(0).at(0).toString(), QString("quantizing"));
        QCOMPARE(stages.at(1).at(0).toString(), QString("done"));
    }

    void perplexityRunsOnTheWorkerThread() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED("data/tinystories/tinystories_valid_head.txt");
        QThread thread;
        auto* worker = new EngineWorker;
        worker->moveToThread(&thread);
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
        QSignalSpy done(worker, &EngineWorker::evalFinished);
        QSignalSpy progress(worker, &EngineWorker::evalProgress);
        QSignalSpy failed(worker, &EngineWorker::failed);
        EvalRequest request;
        request.modelPath = sharedPath(kModel);
        request.dataPath = sharedPath("data/tinystories/tinystories_valid_head.txt");
        request.seqLen = 64;
        request.maxWindows = 16;
        QMetaObject::invokeMethod(worker, [worker, request] { worker->runPerplexity(request); }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        const auto report = done.at(0).at(0).value<EvalReport>();
        QCOMPARE(report.windows, int64_t(16));
        QVERIFY(report.perplexity > 1 && report.perplexity < 1e4);

        // Engine errors arrive as a message naming the file, never as a crash of the thread.
        request.modelPath = "/nonexistent/model.bin";
        QMetaObject::invokeMethod(worker, [worker, request] { worker->runPerplexity(request); }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), kTimeoutMs);
        QVERIFY2(failed.at(0).at(0).toString().contains("/nonexistent/model.bin"), qPrintable(failed.at(0).at(0).toString()));
        thread.quit();
        QVERIFY(thread.wait(kTimeoutMs));
    }

    void compressesCancelsAndResumes() {
        AQLM_REQUIRE_SHARED(kModel);
        AQLM_REQUIRE_SHARED(kCalib);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        isolateUserSettings(dir);
        const QString model = QString::fromStdString(sharedPath(kModel));
        // The thread count in the settings when a job starts is what its worker runs with.
        AppSettings::setThreads(1);

        JobController jobs;
        LayerErrorBarPlot bars;
        EpochErrorPlot epochPlot;
        FinetuneLossPlot finetunePlot;
        connect(&jobs, &JobController::layerReported, &bars, &LayerErrorBarPlot::addLayer);
        connect(&jobs, &JobController::epochReported, &epochPlot, &EpochErrorPlot::addEpoch);
        connect(&jobs, &JobController::finetuneEpochReported, &finetunePlot, &FinetuneLossPlot::addEpoch);
        QSignalSpy finished(&jobs, &JobController::finished);
        QSignalSpy failed(&jobs, &JobController::failed);
        QSignalSpy cancelled(&jobs, &JobController::cancelled);
        QSignalSpy layers(&jobs, &JobController::layerReported);
        QSignalSpy blocks(&jobs, &JobController::blockDone);

        // The GUI thread keeps serving its event loop while the engine works.
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
        ticker.start(20);
        QElapsedTimer clock;
        clock.start();

        const int first = jobs.enqueue(model, dir.filePath("straight"), tinyOptions());
        QVERIFY(jobs.isRunning());
        QCOMPARE(jobs.state(first), JobController::JobState::Running);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() + cancelled.count() > 0, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(jobs.state(first), JobController::JobState::Finished);
        QVERIFY(!jobs.isRunning());
        const qint64 elapsedMs = clock.elapsed();
        qInfo("tiny compression took %lld ms, %d timer ticks on the GUI thread", elapsedMs, ticks);
        QVERIFY(ticks >= elapsedMs / 20 / 4);

        const auto summary = finished.at(0).at(0).value<CompressionSummary>();
        QCOMPARE(summary.threads, 1);
        QCOMPARE(summary.layers.size(), size_t(35));
        QCOMPARE(layers.count(), 35);
        QCOMPARE(bars.barCount(), 35);
        for (const LayerReport& l : summary.layers) {
            const double plotted = bars.valueAt(l.block, sublayerIndex(QString::fromStdString(l.layer)));
            QVERIFY2(plotted == l.relError, l.name.c_str());
        }
        // Every layer has its curve (the last epoch always precedes the layer report).
        QCOMPARE(epochPlot.curveCount(), 35);
        for (const LayerReport& l : summary.layers)
            QVERIFY2(epochPlot.pointCount(l.block, QString::fromStdString(l.layer)) >= 1, l.name.c_str());
        QVERIFY(finetunePlot.pointCount() >= 5);
        QCOMPARE(blocks.count(), 5);

        // Second job: cancel as soon as the first block is reported done, then resume it.
        const auto cancelAfterFirst = connect(&jobs, &JobController::blockDone, &jobs,
                                              [&jobs](qint64 block) { if (block == 0) jobs.cancel(); });
        blocks.clear();
        layers.clear();
        const int second = jobs.enqueue(model, dir.filePath("resumed"), tinyOptions());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() + cancelled.count() > 1, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(cancelled.count(), 1);
        QCOMPARE(jobs.state(second), JobController::JobState::Cancelled);
        const int blocksBeforeCancel = blocks.count();
        QVERIFY(blocksBeforeCancel >= 1 && blocksBeforeCancel < 5);
        disconnect(cancelAfterFirst);

        AppSettings::setThreads(2);  // changed in Settings between the jobs: the resumed job uses it
        QVERIFY(!jobs.resume(first));  // finished jobs are not resumed
        QVERIFY(jobs.resume(second));
        QVERIFY(jobs.job(second).options.resume);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 1, kTimeoutMs);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(finished.count(), 2);
        const auto resumed = finished.at(1).at(0).value<CompressionSummary>();
        QCOMPARE(resumed.resumedBlocks, qint64(blocksBeforeCancel));
        QCOMPARE(resumed.threads, 2);
        QCOMPARE(resumed.layers.size(), size_t(35));
        QCOMPARE(jobs.state(second), JobController::JobState::Finished);
    }
};

QTEST_MAIN(TestJobController)
#include "tst_job_controller.moc"
