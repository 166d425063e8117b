#pragma once
// Keeps the library in step with the JobController: every queued compression becomes a runs row
// (all settings as JSON) whose status follows the job (queued / running / cancelled / failed /
// complete); layer, epoch, fine-tuning and block reports are stored as they arrive, timings and
// the output folder at the end. A finished job's output is then registered as a model and a
// variant of its base model and, when the job asks for it, its perplexity is measured and stored
// with the dataset's sha256. A fine-tuning job (alone, or as a compression's second stage) gets
// its output registered as a variant of the model it fine-tuned (the parent); a fine-tuning-only
// job also has its own runs row (method "pv" or "global").
// The slow parts (loading the new model, perplexity) run on a worker thread; rows are written on
// the GUI thread through LibraryService, which is told about every change.
//
// After a crash or quit, runs are left 'queued' or 'running': interruptedRuns() lists them and
// resumeStoredRun() queues one again (resume into its output folder, same run id).
#include "widgets/bridge/compression_job.h"
#include "widgets/bridge/engine_meta_types.h"

#include "engine/api/cancel_token.h"
#include "engine/library/library_records.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QThreadPool>

namespace aqlm::ui {

class JobController;
class LibraryService;

class JobLibraryRecorder : public QObject {
    Q_OBJECT
public:
    JobLibraryRecorder(JobController* jobs, LibraryService* library, QObject* parent = nullptr);
    ~JobLibraryRecorder() override;  // stops a running evaluation and waits for the worker

    qint64 runIdOfJob(int jobId) const { return m_runs.value(jobId, 0); }
    // Runs stored as queued or running that no job of this session owns: left by a crash or quit.
    QList<aqlm::RunRecord> interruptedRuns() const;
    // Queues a stored run again with resume on, into its output folder; returns the job id, or 0
    // with *error set (unknown run, base model gone, unreadable settings).
    int resumeStoredRun(qint64 runId, QString* error = nullptr);
    // Finished runs whose evaluation after compression never ended (the app quit while it ran):
    // measured again now, in the background. Returns how many were queued.
    int requeueUnfinishedEvaluations();
    // Declined resume: the run stays in the library as cancelled.
    void markCancelled(qint64 runId);
    // True while a finished job's model is being registered or evaluated.
    bool isPostProcessing() const { return m_postPending > 0; }

Q_SIGNALS:
    void runRecorded(int jobId, qint64 runId);
    void variantRegistered(qint64 runId, qint64 modelId);
    void evaluationStored(qint64 runId, qint64 modelId, double perplexity);
    // While a finished run's model (or its base, for the baseline) is evaluated: windows scored of
    // the expected total, and the seconds probably left (negative while unknown).
    void evaluationProgress(qint64 runId, qint64 modelId, qint64 windowsDone, qint64 windowsTotal, double secondsLeft);
    // The base model had no perplexity on the same text and settings: it was measured once, so
    // Compare has the baseline and the delta.
    void baselineStored(qint64 runId, qint64 baseModelId, double perplexity);
    // Registering or evaluating the output failed; the run itself stays complete.
    void postProcessingFailed(qint64 runId, const QString& message);
    // The finished run's registration (and evaluation) is over, successful or not.
    void postProcessingDone(qint64 runId);
    // A fine-tuned model was added to the library as a variant of parentModelId (the student).
    void finetuneRegistered(int jobId, qint64 modelId, qint64 parentModelId);
    void finetuneRegistrationFailed(int jobId, const QString& message);
    // A library write failed (disk full, damaged file): the job goes on, the row may lag behind.
    void libraryError(const QString& message);

private:
    void onStateChanged(int jobId, int state);
    void onFinished(const aqlm::CompressionSummary& summary);
    void onFinetuneFinished(const aqlm::FinetuneSummary& summary);
    void registerFinetuneOutput(int jobId, qint64 runId, const CompressionJob& job, const aqlm::FinetuneSummary& summary);
    // The run a stopped job leaves: none when a two-stage job stops after its compression completed.
    qint64 stoppedRunOf(int jobId) const;
    qint64 ensureBaseModel(const QString& modelPath);  // 0 when the path does not exist
    void registerOutput(qint64 runId, const CompressionJob& job, const aqlm::CompressionSummary& summary);
    void evaluateOutput(qint64 runId, qint64 modelId, const QString& modelPath, const PostEvaluation& evaluation,
                        bool baseline = false);
    // Measures the run's base model on the same text and settings unless it was measured so already.
    bool evaluateBaselineIfMissing(qint64 runId, const aqlm::EvaluationRecord& variant, const PostEvaluation& evaluation);
    void finishPost(qint64 runId);
    // Runs a library write, turning an exception into libraryError(); returns false on failure.
    template <typename Write>
    bool write(Write&& w);

    JobController* m_jobs;
    LibraryService* m_library;
    QHash<int, qint64> m_runs;  // job id -> runs row
    QThreadPool m_pool;         // one worker: model loading and evaluation
    aqlm::CancelToken m_cancel;
    int m_postPending = 0;
};

}  // namespace aqlm::ui
