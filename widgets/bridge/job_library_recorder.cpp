#include "widgets/bridge/job_library_recorder.h"
#include "widgets/core/app_settings.h"

#include <chrono>

#include "widgets/bridge/compression_settings_json.h"
#include "widgets/bridge/job_controller.h"
#include "widgets/core/library_service.h"
#include "widgets/core/model_record_info.h"

#include "engine/api/engine_error.h"
#include "engine/api/engine_facade.h"
#include "engine/library/sha256.h"

#include <QFileInfo>

#include <algorithm>
#include <exception>

namespace aqlm::ui {

namespace {
std::string variantScheme(const aqlm::CompressionOptions& o) {
    if (o.method == aqlm::QuantMethod::Aqlm) return o.scheme.toString();
    return aqlm::intSchemeLabel(o.bits, o.groupSize);
}
}  // namespace

template <typename Write>
bool JobLibraryRecorder::write(Write&& w) {
    QString error;
    if (m_library->guarded(tr("Could not record the compression run in the library: %1"), w, &error)) return true;
    Q_EMIT libraryError(error);
    return false;
}

JobLibraryRecorder::JobLibraryRecorder(JobController* jobs, LibraryService* library, QObject* parent)
    : QObject(parent), m_jobs(jobs), m_library(library) {
    m_pool.setMaxThreadCount(1);
    connect(jobs, &JobController::jobStateChanged, this,
            [this](int id, JobController::JobState s) { onStateChanged(id, int(s)); });
    // Reports belong to the job running now; they are written one small transaction each.
    connect(jobs, &JobController::layerReported, this, [this](const aqlm::LayerReport& r) {
        const qint64 runId = runIdOfJob(m_jobs->currentJobId());
        if (!runId) return;
        aqlm::LayerReportRecord rec{runId, r.block, r.layer, r.name, r.dOut, r.dIn, r.relError, r.bits, r.seconds, r.epochs};
        write([&] { m_library->db().addLayerReport(rec); });
    });
    connect(jobs, &JobController::epochReported, this, [this](const aqlm::EpochReport& r) {
        const qint64 runId = runIdOfJob(m_jobs->currentJobId());
        if (!runId) return;
        aqlm::EpochReportRecord rec{runId, r.block, r.layer, r.epoch, r.relError};
        write([&] { m_library->db().addEpochReport(rec); });
    });
    connect(jobs, &JobController::finetuneEpochReported, this,
            [this](qint64 block, int epoch, double trainLoss, double validationLoss) {
        const qint64 runId = runIdOfJob(m_jobs->currentJobId());
        if (!runId) return;
        aqlm::FinetuneReportRecord rec{runId, block, epoch, trainLoss, validationLoss};
        write([&] { m_library->db().addFinetuneReport(rec); });
    });
    connect(jobs, &JobController::blockDone, this, [this](qint64 block, qint64, double seconds, double perplexity) {
        const qint64 runId = runIdOfJob(m_jobs->currentJobId());
        if (!runId) return;
        aqlm::BlockReportRecord rec{runId, block, seconds, std::nullopt};
        if (perplexity > 0) rec.perplexity = perplexity;  // 0 or NaN: not measured (false for NaN)
        write([&] { m_library->db().addBlockReport(rec); });
    });
    connect(jobs, &JobController::finished, this, &JobLibraryRecorder::onFinished);
    connect(jobs, &JobController::finetuneFinished, this, &JobLibraryRecorder::onFinetuneFinished);
    connect(jobs, &JobController::failed, this, [this](const QString& message) {
        const qint64 runId = stoppedRunOf(m_jobs->endedJobId());
        if (runId && write([&] { m_library->db().updateRunStatus(runId, aqlm::RunStatus::Failed, message.toStdString()); }))
            m_library->notifyChanged();
    });
    connect(jobs, &JobController::cancelled, this, [this] {
        const qint64 runId = stoppedRunOf(m_jobs->endedJobId());
        if (runId && write([&] { m_library->db().updateRunStatus(runId, aqlm::RunStatus::Cancelled); }))
            m_library->notifyChanged();
    });
}

JobLibraryRecorder::~JobLibraryRecorder() {
    m_cancel.cancel();
    m_pool.waitForDone();
}

qint64 JobLibraryRecorder::ensureBaseModel(const QString& modelPath) {
    const QString key = libraryPathOf(modelPath);
    // A path that does not exist is no model: the job fails with the engine's message, no row.
    if (!QFileInfo::exists(key)) return 0;
    if (const auto known = m_library->db().findModelByPath(key.toStdString())) return known->id;
    // The run row needs its base model now; loading the model for its details takes long, so a
    // row with the name and size goes in first and the worker fills in the rest.
    aqlm::ModelRecord placeholder;
    const QFileInfo file(key);
    placeholder.name = (file.isDir() ? file.fileName() : file.completeBaseName()).toStdString();
    placeholder.path = key.toStdString();
    placeholder.bytesOnDisk = diskUsage(key);
    const qint64 id = m_library->db().addModel(placeholder);
    m_pool.start([this, key] {
        try {
            const aqlm::ModelRecord record = inspectModelRecord(key);
            QMetaObject::invokeMethod(this, [this, record] {
                if (write([&] { m_library->db().addModel(record); })) m_library->notifyChanged();
            }, Qt::QueuedConnection);
        } catch (const std::exception&) {
            // The compression reports the same problem with the model itself.
        }
    });
    return id;
}

void JobLibraryRecorder::onStateChanged(int jobId, int state) {
    const auto s = JobController::JobState(state);
    if (s == JobController::JobState::Queued) {
        const CompressionJob job = m_jobs->job(jobId);
        qint64 runId = m_runs.value(jobId, job.libraryRunId);
        const bool ok = write([&] {
            if (runId) {
                m_library->db().updateRunStatus(runId, aqlm::RunStatus::Queued);
                return;
            }
            aqlm::RunRecord run;
            run.baseModelId = ensureBaseModel(job.modelPath);
            if (!run.baseModelId) return;
            if (job.compress) {
                run.method = aqlm::quantMethodName(job.options.method);
                run.settingsJson = runSettingsJson(job.options, job.evaluation).toStdString();
                run.outputPath = libraryPathOf(job.outDir).toStdString();
            } else {
                run.method = aqlm::finetuneModeName(job.finetune.options.mode);
                run.settingsJson = finetuneRunSettingsJson(job.finetune).toStdString();
                run.outputPath = libraryPathOf(job.finetune.outDir).toStdString();
            }
            run.status = aqlm::RunStatus::Queued;
            runId = m_library->db().createRun(run);
        });
        if (!ok || !runId) return;
        const bool isNew = !m_runs.contains(jobId);
        m_runs.insert(jobId, runId);
        if (isNew) Q_EMIT runRecorded(jobId, runId);
        m_library->notifyChanged();
    } else if (s == JobController::JobState::Running) {
        const qint64 runId = runIdOfJob(jobId);
        if (runId && write([&] { m_library->db().updateRunStatus(runId, aqlm::RunStatus::Running); }))
            m_library->notifyChanged();
    }
}

void JobLibraryRecorder::onFinished(const aqlm::CompressionSummary& summary) {
    const int jobId = m_jobs->endedJobId();
    const qint64 runId = runIdOfJob(jobId);
    if (!runId) return;
    const CompressionJob job = m_jobs->job(jobId);
    const bool ok = write([&] {
        // The summary lists every layer, resumed blocks included: a report missed earlier is filled in.
        for (const aqlm::LayerReport& r : summary.layers)
            m_library->db().addLayerReport(
                {runId, r.block, r.layer, r.name, r.dOut, r.dIn, r.relError, r.bits, r.seconds, r.epochs});
        m_library->db().setRunResult(runId, std::nullopt, summary.seconds, summary.peakMb,
                                     libraryPathOf(job.outDir).toStdString());
        m_library->db().updateRunStatus(runId, aqlm::RunStatus::Complete);
    });
    m_library->notifyChanged();
    if (!ok) return;
    registerOutput(runId, job, summary);
}

qint64 JobLibraryRecorder::stoppedRunOf(int jobId) const {
    const CompressionJob job = m_jobs->job(jobId);
    return job.compress && job.compressionDone ? 0 : runIdOfJob(jobId);
}

void JobLibraryRecorder::onFinetuneFinished(const aqlm::FinetuneSummary& summary) {
    const int jobId = m_jobs->endedJobId();
    const CompressionJob job = m_jobs->job(jobId);
    // A two-stage job's run is the compression's (complete already); a fine-tuning job has its own.
    const qint64 runId = job.compress ? 0 : runIdOfJob(jobId);
    if (runId) {
        write([&] {
            m_library->db().setRunResult(runId, std::nullopt, summary.seconds, summary.peakMb,
                                         libraryPathOf(job.finetune.outDir).toStdString());
            m_library->db().updateRunStatus(runId, aqlm::RunStatus::Complete);
        });
        m_library->notifyChanged();
    }
    registerFinetuneOutput(jobId, runId, job, summary);
}

void JobLibraryRecorder::registerFinetuneOutput(int jobId, qint64 runId, const CompressionJob& job,
                                                const aqlm::FinetuneSummary& summary) {
    ++m_postPending;
    const QString parent = libraryPathOf(finetuneStudentPath(job));
    const QString out = libraryPathOf(job.finetune.outDir);
    // On the same one-thread pool as the compression's registration, so the parent is in first.
    m_pool.start([this, jobId, runId, job, summary, parent, out] {
        QString error;
        aqlm::ModelRecord parentRecord, record;
        try {
            parentRecord = inspectModelRecord(parent);
            record = inspectModelRecord(out);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [this, jobId, runId, job, summary, parentRecord, record, error] {
            qint64 modelId = 0, parentId = 0;
            const bool ok = error.isEmpty() && write([&] {
                aqlm::ModelLibrary& db = m_library->db();
                const auto known = db.findModelByPath(parentRecord.path);
                parentId = known ? known->id : db.addModel(parentRecord);
                const auto parentVariant = db.findVariantOf(parentId);
                modelId = db.addModel(record);
                db.addVariant(modelId, parentId, "aqlm", parentVariant ? parentVariant->scheme : std::string(),
                              finetuneRunSettingsJson(job.finetune).toStdString(), summary.avgBits, summary.modelBits);
                if (runId) {
                    const auto run = db.findRun(runId);
                    if (run) db.setRunResult(runId, modelId, run->seconds, run->peakMb, run->outputPath);
                }
            });
            m_library->notifyChanged();
            if (ok)
                Q_EMIT finetuneRegistered(jobId, modelId, parentId);
            else
                Q_EMIT finetuneRegistrationFailed(jobId, error.isEmpty() ? tr("the library could not be written") : error);
            finishPost(runId);
        }, Qt::QueuedConnection);
    });
}

void JobLibraryRecorder::registerOutput(qint64 runId, const CompressionJob& job, const aqlm::CompressionSummary& summary) {
    ++m_postPending;
    const QString out = libraryPathOf(job.outDir);
    m_pool.start([this, runId, job, summary, out] {
        QString error;
        aqlm::ModelRecord record;
        try {
            record = inspectModelRecord(out);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [this, runId, job, summary, out, record, error] {
            if (!error.isEmpty()) {
                Q_EMIT postProcessingFailed(runId, error);
                finishPost(runId);
                return;
            }
            qint64 modelId = 0;
            const bool ok = write([&] {
                aqlm::ModelLibrary& db = m_library->db();
                const auto run = db.findRun(runId);
                if (!run) throw aqlm::EngineError(db.path(), "the run was deleted while it finished");
                modelId = db.addModel(record);
                db.addVariant(modelId, run->baseModelId, aqlm::quantMethodName(job.options.method), variantScheme(job.options),
                              run->settingsJson, summary.avgBits, summary.modelBits);
                db.setRunResult(runId, modelId, run->seconds, run->peakMb, run->outputPath);
            });
            m_library->notifyChanged();
            if (!ok) {
                finishPost(runId);
                return;
            }
            Q_EMIT variantRegistered(runId, modelId);
            if (job.evaluation.dataPath.isEmpty())
                finishPost(runId);
            else
                evaluateOutput(runId, modelId, out, job.evaluation);
        }, Qt::QueuedConnection);
    });
}

void JobLibraryRecorder::evaluateOutput(qint64 runId, qint64 modelId, const QString& modelPath,
                                        const PostEvaluation& evaluation, bool baseline) {
    const aqlm::RuntimeOptions runtime = AppSettings::runtime();
    m_pool.start([this, runId, modelId, modelPath, evaluation, baseline, runtime] {
        QString error;
        aqlm::EvaluationRecord rec;
        try {
            aqlm::EvalRequest request;
            request.modelPath = modelPath.toStdString();
            request.dataPath = libraryPathOf(evaluation.dataPath).toStdString();
            request.seqLen = evaluation.seqLen;
            request.maxWindows = evaluation.maxWindows;
            request.runtime = runtime;
            const auto started = std::chrono::steady_clock::now();
            // Windows scored of those expected, and an ETA from the pace so far, for the Compress page.
            const auto progress = [&](const aqlm::EvalReport& partial) {
                int64_t expected = partial.seqLen > 0 ? partial.tokens / partial.seqLen : 0;
                if (evaluation.maxWindows > 0) expected = std::min<int64_t>(expected, evaluation.maxWindows);
                const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                const double left = partial.windows > 0 && expected >= partial.windows
                                        ? elapsed / double(partial.windows) * double(expected - partial.windows)
                                        : -1.0;
                const qint64 done = partial.windows;
                QMetaObject::invokeMethod(this, [this, runId, modelId, done, expected, left] {
                    Q_EMIT evaluationProgress(runId, modelId, done, qint64(expected), left);
                }, Qt::QueuedConnection);
            };
            const aqlm::EvalReport report = aqlm::runPerplexity(request, progress, &m_cancel);
            rec = evaluationRecordFrom(report, modelId, request.dataPath, aqlm::sha256File(request.dataPath));
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(this, [this, runId, modelId, rec, error, evaluation, baseline] {
            if (!error.isEmpty()) {
                Q_EMIT postProcessingFailed(runId, error);
            } else if (write([&] { m_library->db().addEvaluation(rec); })) {
                m_library->notifyChanged();
                if (baseline) {
                    Q_EMIT baselineStored(runId, modelId, rec.perplexity);
                } else {
                    Q_EMIT evaluationStored(runId, modelId, rec.perplexity);
                    if (evaluateBaselineIfMissing(runId, rec, evaluation)) return;  // finishes after the baseline
                }
            }
            finishPost(runId);
        }, Qt::QueuedConnection);
    });
}

bool JobLibraryRecorder::evaluateBaselineIfMissing(qint64 runId, const aqlm::EvaluationRecord& variant,
                                                   const PostEvaluation& evaluation) {
    std::optional<aqlm::ModelRecord> base;
    bool measured = false;
    const bool ok = write([&] {
        const auto run = m_library->db().findRun(runId);
        if (!run) return;
        base = m_library->db().findModel(run->baseModelId);
        if (!base) return;
        for (const aqlm::EvaluationRecord& e : m_library->db().listEvaluations(base->id))
            if (e.datasetSha256 == variant.datasetSha256 && e.seqLen == variant.seqLen && e.windows == variant.windows)
                measured = true;
    });
    if (!ok || !base || measured) return false;
    evaluateOutput(runId, base->id, QString::fromStdString(base->path), evaluation, /*baseline=*/true);
    return true;
}

void JobLibraryRecorder::finishPost(qint64 runId) {
    --m_postPending;
    Q_EMIT postProcessingDone(runId);
}

QList<aqlm::RunRecord> JobLibraryRecorder::interruptedRuns() const {
    QList<aqlm::RunRecord> out;
    QList<qint64> mine = m_runs.values();
    for (aqlm::RunStatus s : {aqlm::RunStatus::Running, aqlm::RunStatus::Queued})
        for (const aqlm::RunRecord& r : m_library->db().listRuns(s))
            if (!mine.contains(r.id)) out.append(r);
    std::sort(out.begin(), out.end(), [](const aqlm::RunRecord& a, const aqlm::RunRecord& b) { return a.id < b.id; });
    return out;
}

int JobLibraryRecorder::resumeStoredRun(qint64 runId, QString* error) {
    try {
        aqlm::ModelLibrary& db = m_library->db();
        const auto run = db.findRun(runId);
        if (!run) throw aqlm::EngineError(db.path(), "no run with id " + std::to_string(runId));
        const auto base = db.findModel(run->baseModelId);
        if (!base) throw aqlm::EngineError(db.path(), "the base model of run " + std::to_string(runId) + " is gone");
        CompressionJob job;
        job.modelPath = QString::fromStdString(base->path);
        job.outDir = QString::fromStdString(run->outputPath);
        if (isFinetuneMethod(QString::fromStdString(run->method))) {
            job.compress = false;
            job.finetune = parseFinetuneRunSettingsJson(QString::fromStdString(run->settingsJson));
            job.finetune.options.resume = true;  // the last checkpoint in the output folder is kept
        } else {
            parseRunSettingsJson(QString::fromStdString(run->settingsJson), &job.options, &job.evaluation);
            job.options.resume = true;  // finished blocks in the output folder are kept
        }
        job.libraryRunId = runId;
        return m_jobs->enqueue(job);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return 0;
    }
}

int JobLibraryRecorder::requeueUnfinishedEvaluations() {
    struct Pending {
        qint64 runId;
        qint64 modelId;
        QString path;
        PostEvaluation evaluation;
    };
    QList<Pending> pending;
    write([&] {
        aqlm::ModelLibrary& db = m_library->db();
        for (const aqlm::RunRecord& r : db.listRuns(aqlm::RunStatus::Complete)) {
            if (!r.variantModelId || !db.listEvaluations(*r.variantModelId).empty()) continue;
            PostEvaluation evaluation;
            try {
                parseRunSettingsJson(QString::fromStdString(r.settingsJson), nullptr, &evaluation);
            } catch (const std::exception&) {
                continue;  // unreadable settings: nothing to repeat
            }
            if (evaluation.dataPath.isEmpty()) continue;
            if (const auto model = db.findModel(*r.variantModelId))
                pending.append({r.id, model->id, QString::fromStdString(model->path), evaluation});
        }
    });
    for (const Pending& p : pending) {
        ++m_postPending;
        evaluateOutput(p.runId, p.modelId, p.path, p.evaluation);
    }
    return int(pending.size());
}

void JobLibraryRecorder::markCancelled(qint64 runId) {
    if (write([&] { m_library->db().updateRunStatus(runId, aqlm::RunStatus::Cancelled); })) m_library->notifyChanged();
}

}  // namespace aqlm::ui
