#pragma once
// Owns the engine worker thread and a queue of jobs; one job runs at a time. A job compresses,
// fine-tunes a compressed model (PV-Tuning / global KD), or compresses and then fine-tunes the
// result as its second stage (finished() then reports the compression while the job goes on).
// Re-emits the worker's signals (already queued onto the GUI thread) so pages connect to one
// object that outlives individual jobs.
#include "widgets/bridge/compression_job.h"
#include "widgets/bridge/engine_meta_types.h"

#include <QList>
#include <QMap>
#include <QObject>
#include <QThread>

namespace aqlm::ui {

class EngineWorker;

class JobController : public QObject {
    Q_OBJECT
public:
    enum class JobState { None, Queued, Running, Finished, Failed, Cancelled };  // None: unknown id
    Q_ENUM(JobState)

    explicit JobController(QObject* parent = nullptr);
    ~JobController() override;  // cancels the running job and waits for the thread

    // Queues a job and starts it when nothing else runs; returns its id.
    int enqueue(const QString& modelPath, const QString& outDir, const aqlm::CompressionOptions& options);
    // The same with the job's evaluation and library run (job.id is ignored and assigned).
    int enqueue(const CompressionJob& job);
    // Cancels the running job; queued jobs stay queued and start after it stops.
    void cancel();
    // Runs a cancelled or failed job again with resume on for the stage it stopped in (same id,
    // front of queue).
    bool resume(int jobId);

    bool isRunning() const { return m_current != 0; }
    int currentJobId() const { return m_current; }
    // The job whose finished/failed/cancelled signal is being delivered (the last one that ended).
    int endedJobId() const { return m_ended; }
    int queuedCount() const { return m_queue.size(); }
    JobState state(int jobId) const { return m_states.value(jobId, JobState::None); }
    CompressionJob job(int jobId) const { return m_jobs.value(jobId); }
    EngineWorker* worker() const { return m_worker; }

Q_SIGNALS:
    void jobStateChanged(int jobId, aqlm::ui::JobController::JobState state);
    void jobStarted(int jobId, const aqlm::ui::CompressionJob& job);

    void stageChanged(const QString& stage, qint64 block, qint64 numBlocks);
    void layerStarted(qint64 block, const QString& layer, qint64 layerIndex, qint64 numLayers);
    void epochReported(const aqlm::EpochReport& report);
    void layerReported(const aqlm::LayerReport& report);
    void finetuneEpochReported(qint64 block, int epoch, double trainLoss, double validationLoss);
    void blockDone(qint64 block, qint64 numBlocks, double seconds, double perplexity);
    void logMessage(const QString& message);
    // The compression stage finished (for a two-stage job the job now goes on with fine-tuning).
    void finished(const aqlm::CompressionSummary& summary);
    // Fine-tuning: its start (the request as run), every step and evaluation, and its end, which
    // ends the job.
    void finetuneStarted(int jobId, const aqlm::FinetuneRequest& request);
    void finetuneStep(const aqlm::FinetuneStepReport& report);
    void finetuneEvaluation(const aqlm::FinetuneEvalReport& report);
    void finetuneFinished(const aqlm::FinetuneSummary& summary);
    void failed(const QString& message);
    void cancelled();

private:
    void startNext();
    void startFinetune(const CompressionJob& job);
    void endCurrent(JobState state);
    void setState(int jobId, JobState state);

    QThread m_thread;
    EngineWorker* m_worker = nullptr;  // lives on m_thread, deleted when it finishes
    QMap<int, CompressionJob> m_jobs;
    QMap<int, JobState> m_states;
    QList<int> m_queue;
    int m_current = 0;
    int m_ended = 0;
    int m_nextId = 1;
};

}  // namespace aqlm::ui
