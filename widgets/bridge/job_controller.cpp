#include "widgets/bridge/job_controller.h"
#include "widgets/core/app_settings.h"

#include "widgets/bridge/engine_worker.h"

namespace aqlm::ui {

JobController::JobController(QObject* parent) : QObject(parent) {
    registerEngineMetaTypes();
    qRegisterMetaType<aqlm::ui::CompressionJob>("aqlm::ui::CompressionJob");
    qRegisterMetaType<aqlm::ui::JobController::JobState>("aqlm::ui::JobController::JobState");
    m_thread.setObjectName(QStringLiteral("aqlm-engine"));
    m_worker = new EngineWorker;  // no parent: it moves to another thread
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    connect(m_worker, &EngineWorker::stageChanged, this, &JobController::stageChanged);
    connect(m_worker, &EngineWorker::layerStarted, this, &JobController::layerStarted);
    connect(m_worker, &EngineWorker::epochReported, this, &JobController::epochReported);
    connect(m_worker, &EngineWorker::layerReported, this, &JobController::layerReported);
    connect(m_worker, &EngineWorker::finetuneEpochReported, this, &JobController::finetuneEpochReported);
    connect(m_worker, &EngineWorker::blockDone, this, &JobController::blockDone);
    connect(m_worker, &EngineWorker::logMessage, this, &JobController::logMessage);
    // Results change the queue first, then reach listeners, so a listener may enqueue or resume.
    connect(m_worker, &EngineWorker::finetuneStep, this, &JobController::finetuneStep);
    connect(m_worker, &EngineWorker::finetuneEvaluation, this, &JobController::finetuneEvaluation);
    connect(m_worker, &EngineWorker::finished, this, [this](const aqlm::CompressionSummary& s) {
        CompressionJob& job = m_jobs[m_current];
        if (job.finetune.enabled) {
            // Listeners see the compression as ended (its output gets registered) while the job
            // stays running for its fine-tuning stage.
            job.compressionDone = true;
            m_ended = m_current;
            Q_EMIT finished(s);
            startFinetune(job);
            return;
        }
        endCurrent(JobState::Finished);
        Q_EMIT finished(s);
        startNext();
    });
    connect(m_worker, &EngineWorker::finetuneFinished, this, [this](const aqlm::FinetuneSummary& s) {
        endCurrent(JobState::Finished);
        Q_EMIT finetuneFinished(s);
        startNext();
    });
    connect(m_worker, &EngineWorker::failed, this, [this](const QString& message) {
        endCurrent(JobState::Failed);
        Q_EMIT failed(message);
        startNext();
    });
    connect(m_worker, &EngineWorker::cancelled, this, [this] {
        endCurrent(JobState::Cancelled);
        Q_EMIT cancelled();
        startNext();
    });
    m_thread.start();
}

JobController::~JobController() {
    m_worker->cancel();
    m_thread.quit();
    m_thread.wait();
}

int JobController::enqueue(const QString& modelPath, const QString& outDir, const aqlm::CompressionOptions& options) {
    CompressionJob job;
    job.modelPath = modelPath;
    job.outDir = outDir;
    job.options = options;
    return enqueue(job);
}

int JobController::enqueue(const CompressionJob& job) {
    const int id = m_nextId++;
    CompressionJob queued = job;
    queued.id = id;
    m_jobs.insert(id, queued);
    m_queue.append(id);
    setState(id, JobState::Queued);
    startNext();
    return id;
}

void JobController::cancel() {
    if (m_current) m_worker->cancel();
}

bool JobController::resume(int jobId) {
    const JobState s = state(jobId);
    if (!m_jobs.contains(jobId) || (s != JobState::Cancelled && s != JobState::Failed)) return false;
    CompressionJob& job = m_jobs[jobId];
    if (job.compress && !job.compressionDone)
        job.options.resume = true;
    else
        job.finetune.options.resume = true;
    m_queue.prepend(jobId);
    setState(jobId, JobState::Queued);
    startNext();
    return true;
}

void JobController::startNext() {
    if (m_current || m_queue.isEmpty()) return;
    m_current = m_queue.takeFirst();
    CompressionJob job = m_jobs.value(m_current);
    job.options.runtime = AppSettings::runtime();  // the settings as they are when the job starts
    m_worker->resetCancel();  // here, not on the worker thread, so an early cancel() is kept
    setState(job.id, JobState::Running);
    Q_EMIT jobStarted(job.id, job);
    if (!job.compress || job.compressionDone) {
        startFinetune(job);
        return;
    }
    EngineWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, job] { worker->runCompression(job.modelPath, job.outDir, job.options); },
        Qt::QueuedConnection);
}

void JobController::startFinetune(const CompressionJob& job) {
    aqlm::FinetuneRequest request;
    request.studentPath = finetuneStudentPath(job).toStdString();
    request.teacherPath = (job.compress ? job.modelPath : job.finetune.teacherPath).toStdString();
    request.outDir = job.finetune.outDir.toStdString();
    request.options = job.finetune.options;
    request.runtime = AppSettings::runtime();
    Q_EMIT finetuneStarted(job.id, request);
    EngineWorker* worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, request] { worker->runFinetune(request); }, Qt::QueuedConnection);
}

void JobController::endCurrent(JobState state) {
    const int id = m_current;
    m_current = 0;
    m_ended = id;
    if (id) setState(id, state);
}

void JobController::setState(int jobId, JobState state) {
    m_states[jobId] = state;
    Q_EMIT jobStateChanged(jobId, state);
}

}  // namespace aqlm::ui
