#include "widgets/compress/compress_page.h"

#include "widgets/bridge/job_controller.h"
#include "widgets/bridge/job_library_recorder.h"
#include "widgets/compress/bit_estimate_label.h"
#include "widgets/compress/compress_settings_form.h"
#include "widgets/compress/settings_check.h"
#include "widgets/compress/time_estimate_label.h"
#include "widgets/core/library_service.h"
#include "widgets/core/shared_files.h"
#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_monitor.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/run_monitor.h"
#include "widgets/plot/stored_run_replay.h"

#include "engine/api/engine_facade.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QSpinBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace aqlm::ui {

CompressPage::CompressPage(JobController* jobs, QWidget* parent) : QWidget(parent), m_jobs(jobs) {
    m_form = new CompressSettingsForm;
    m_estimate = new BitEstimateLabel;
    m_time = new TimeEstimateLabel;
    m_monitor = new RunMonitor;
    m_start = new QPushButton(tr("Start"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_resume = new QPushButton(tr("Resume"));
    m_start->setDefault(true);
    m_resume->setToolTip(tr("Continue the cancelled or failed run from its last finished block."));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_resume);

    auto* settings = new QWidget;
    auto* settingsLayout = new QVBoxLayout(settings);
    settingsLayout->addWidget(m_form);
    settingsLayout->addWidget(buildPvStage());
    settingsLayout->addWidget(m_estimate);
    settingsLayout->addWidget(m_time);
    settingsLayout->addLayout(buttons);
    settingsLayout->addStretch(1);
    // The form is taller than small screens: scroll it rather than squeeze the plots.
    auto* scroll = new QScrollArea;
    scroll->setWidget(settings);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(400);
    scroll->setMaximumWidth(520);

    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(buildPlots());
    right->addWidget(m_monitor);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    right->setSizes({620, 200});  // the plots are what one watches; the log is for details

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(scroll);
    layout->addWidget(right, 1);

    connect(m_start, &QPushButton::clicked, this, &CompressPage::start);
    connect(m_cancel, &QPushButton::clicked, this, &CompressPage::cancel);
    connect(m_resume, &QPushButton::clicked, this, &CompressPage::resume);
    connect(m_form, &CompressSettingsForm::settingsChanged, this, [this] {
        m_estimate->request(m_form->modelPath(), m_form->options());
        // A newly chosen preset brings its PV-Tuning default; only AQLM results can be PV-tuned.
        const int preset = m_form->currentPreset();
        const QList<CompressionPreset> presets = compressionPresets();
        if (preset != m_presetShown && preset >= 0 && preset < presets.size()) {
            m_presetShown = preset;
            m_pvBox->setChecked(presets[preset].pvTuningByDefault);
        }
        const bool aqlm = m_form->options().method == aqlm::QuantMethod::Aqlm;
        if (!aqlm) m_pvBox->setChecked(false);
        if (!m_form->isReadOnly()) m_pvBox->setEnabled(aqlm);
        updateButtons();
        requestTimeEstimate();
    });
    connectJobs();
    updateButtons();
}

QGroupBox* CompressPage::buildPvStage() {
    m_pvBox = new QGroupBox(tr("PV-Tuning after compression"));
    m_pvBox->setCheckable(true);
    m_pvBox->setToolTip(tr("Fine-tune the compressed model against the original on the calibration text, codes "
                           "included (PV-Tuning), into a second folder that becomes a variant of the compressed one."));
    m_pvSteps = new QSpinBox;
    m_pvSteps->setRange(1, 1000000);
    m_pvSteps->setSingleStep(10);
    m_pvSteps->setValue(int(aqlm::FinetuneOptions().steps));
    auto* form = new QFormLayout(m_pvBox);
    form->addRow(tr("Steps:"), m_pvSteps);
    const QList<CompressionPreset> presets = compressionPresets();
    m_presetShown = m_form->currentPreset();
    m_pvBox->setChecked(m_presetShown >= 0 && m_presetShown < presets.size() && presets[m_presetShown].pvTuningByDefault);
    return m_pvBox;
}

FinetuneStage CompressPage::pvStage() const {
    FinetuneStage stage;
    stage.enabled = m_pvBox->isChecked() && m_pvBox->isEnabled();
    if (!stage.enabled) return stage;
    const aqlm::CompressionOptions compression = m_form->options();
    stage.outDir = defaultFinetuneOutDir(m_form->outDir(), aqlm::FinetuneMode::Pv);
    stage.options.steps = m_pvSteps->value();
    stage.options.dataFiles = compression.calibrationFiles;  // the training text, never the validation text
    stage.options.seqLen = compression.seqLen;
    stage.options.seed = compression.seed;
    return stage;
}

QWidget* CompressPage::buildPlots() {
    m_epochPlot = new EpochErrorPlot;
    m_layerPlot = new LayerErrorBarPlot;
    m_finetunePlot = new FinetuneLossPlot;
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(m_epochPlot);
    top->addWidget(m_finetunePlot);
    m_pvMonitor = new FinetuneMonitor;
    m_pvMonitor->setVisible(false);  // while a PV-Tuning stage runs or after it
    auto* plots = new QSplitter(Qt::Vertical);
    plots->addWidget(top);
    plots->addWidget(m_layerPlot);
    plots->addWidget(m_pvMonitor);
    return plots;
}

bool CompressPage::ownsCurrentJob() const { return m_lastJob != 0 && m_jobs->currentJobId() == m_lastJob; }

void CompressPage::connectJobs() {
    // Reports of jobs other pages started do not belong on these plots.
    auto mine = [this] { return ownsCurrentJob(); };
    connect(m_jobs, &JobController::stageChanged, this, [this, mine](const QString& s, qint64 b, qint64 n) {
        if (mine()) m_monitor->onStage(s, b, n);
    });
    connect(m_jobs, &JobController::layerStarted, this,
            [this, mine](qint64 b, const QString& l, qint64 i, qint64 n) { if (mine()) m_monitor->onLayerStarted(b, l, i, n); });
    connect(m_jobs, &JobController::epochReported, this, [this, mine](const aqlm::EpochReport& r) {
        if (mine()) m_epochPlot->addEpoch(r);
    });
    connect(m_jobs, &JobController::layerReported, this, [this, mine](const aqlm::LayerReport& r) {
        if (!mine()) return;
        m_layerPlot->addLayer(r);
        m_monitor->onLayerReported(r);
    });
    connect(m_jobs, &JobController::finetuneEpochReported, this, [this, mine](qint64 b, int e, double t, double v) {
        if (!mine()) return;
        m_finetunePlot->addEpoch(b, e, t, v);
        m_monitor->onFinetuneEpoch(b, e, t, v);
    });
    connect(m_jobs, &JobController::blockDone, this, [this, mine](qint64 b, qint64 n, double s, double p) {
        if (mine()) m_monitor->onBlockDone(b, n, s, p);
    });
    connect(m_jobs, &JobController::logMessage, this, [this, mine](const QString& m) {
        if (mine()) m_monitor->appendLog(m);
    });
    connect(m_jobs, &JobController::jobStateChanged, this, [this](int id, JobController::JobState state) {
        if (id != m_lastJob) return;
        updateButtons();
        requestTimeEstimate();
        if (state == JobController::JobState::Running) Q_EMIT statusMessage(tr("Compressing…"));
    });
    connect(m_jobs, &JobController::finished, this, [this](const aqlm::CompressionSummary& s) {
        if (m_jobs->endedJobId() != m_lastJob) return;
        m_monitor->onFinished(s);
        const CompressionJob job = m_jobs->job(m_lastJob);
        if (job.finetune.enabled) {  // the job goes on with its PV-Tuning stage
            m_monitor->appendLog(tr("compression finished; PV-Tuning into %1").arg(job.finetune.outDir));
            return;
        }
        // That folder now holds the model: propose the next unique default so Start is ready again.
        m_form->setOutDir(QString());
        Q_EMIT statusMessage(tr("Compression finished: %1").arg(m_jobs->job(m_lastJob).outDir));
        Q_EMIT runEnded();
    });
    connect(m_jobs, &JobController::finetuneStarted, this, [this](int jobId, const aqlm::FinetuneRequest& request) {
        if (jobId != m_lastJob) return;
        m_pvMonitor->setVisible(true);
        m_pvMonitor->start(request.options.steps, request.options.mode);
        Q_EMIT statusMessage(tr("PV-Tuning…"));
    });
    connect(m_jobs, &JobController::finetuneStep, this, [this, mine](const aqlm::FinetuneStepReport& r) {
        if (mine()) m_pvMonitor->addStep(r);
    });
    connect(m_jobs, &JobController::finetuneEvaluation, this, [this, mine](const aqlm::FinetuneEvalReport& r) {
        if (mine()) m_pvMonitor->addEvaluation(r);
    });
    connect(m_jobs, &JobController::finetuneFinished, this, [this](const aqlm::FinetuneSummary& s) {
        if (m_jobs->endedJobId() != m_lastJob) return;
        m_pvMonitor->showFinished(s);
        m_monitor->appendLog(tr("PV-Tuning: validation perplexity %1 → %2")
                                 .arg(s.initialPerplexity, 0, 'f', 3)
                                 .arg(s.bestPerplexity, 0, 'f', 3));
        m_form->setOutDir(QString());
        Q_EMIT statusMessage(tr("PV-Tuning finished: %1").arg(m_jobs->job(m_lastJob).finetune.outDir));
        Q_EMIT runEnded();
    });
    connect(m_jobs, &JobController::failed, this, [this](const QString& message) {
        if (m_jobs->endedJobId() != m_lastJob) return;
        if (m_jobs->job(m_lastJob).compressionDone) m_pvMonitor->showStopped(tr("PV-Tuning failed: %1").arg(message));
        m_monitor->onFailed(message);
        Q_EMIT statusMessage(tr("Compression failed"));
        Q_EMIT runEnded();
    });
    connect(m_jobs, &JobController::cancelled, this, [this] {
        if (m_jobs->endedJobId() != m_lastJob) return;
        if (m_jobs->job(m_lastJob).compressionDone)
            m_pvMonitor->showStopped(tr("PV-Tuning cancelled; Resume continues from its last checkpoint."));
        m_monitor->onCancelled();
        Q_EMIT statusMessage(tr("Compression cancelled"));
        Q_EMIT runEnded();
    });
}

void CompressPage::clearRun() {
    m_epochPlot->clear();
    m_layerPlot->clear();
    m_finetunePlot->clear();
    m_monitor->reset();
}

void CompressPage::start() {
    // Settings that cannot run are explained next to their fields; they never become a failed run.
    if (!m_form->canStart()) return;
    clearRun();
    m_monitor->appendLog(tr("compressing %1 into %2").arg(m_form->modelPath(), m_form->outDir()));
    CompressionJob job;
    job.modelPath = m_form->modelPath();
    job.outDir = m_form->outDir();
    job.options = m_form->options();
    job.evaluation = m_form->evaluation();
    job.finetune = pvStage();
    m_pvMonitor->setVisible(false);
    m_monitor->setExpectedSeconds(m_time->expectedSeconds());
    m_lastJob = m_jobs->enqueue(job);
    updateButtons();
    requestTimeEstimate();
}

bool CompressPage::runActive() const {
    const JobController::JobState state = m_jobs->state(m_lastJob);
    return m_lastJob != 0 && (state == JobController::JobState::Running || state == JobController::JobState::Queued);
}

void CompressPage::requestTimeEstimate() {
    // Measured only while nothing runs: a measurement beside a run would slow both and time neither.
    if (runActive()) {
        m_time->pause();
        return;
    }
    bool runnable = !m_form->modelPath().isEmpty();
    if (runnable) {
        try {
            runnable = schemeProblem(aqlm::inspectModel(m_form->modelPath().toStdString()), m_form->options()).isEmpty();
        } catch (const std::exception&) {
            runnable = false;  // the size estimate says what is wrong with the model
        }
    }
    m_time->request(m_form->modelPath(), m_form->options(), runnable);
}

void CompressPage::setLibrary(LibraryService* library) {
    m_library = library;
    m_form->setLibrary(library);
}

void CompressPage::setJobRecorder(JobLibraryRecorder* recorder) {
    m_recorder = recorder;
    auto mine = [this](qint64 runId) { return m_recorder && runId == m_recorder->runIdOfJob(m_lastJob); };
    connect(recorder, &JobLibraryRecorder::variantRegistered, this, [this, mine](qint64 runId, qint64) {
        if (!mine(runId)) return;
        const CompressionJob job = m_jobs->job(m_lastJob);
        m_monitor->appendLog(tr("added to the library as a variant of %1").arg(job.modelPath));
        if (!job.evaluation.dataPath.isEmpty())
            m_monitor->appendLog(tr("measuring perplexity on %1…").arg(job.evaluation.dataPath));
    });
    connect(recorder, &JobLibraryRecorder::evaluationStored, this, [this, mine](qint64 runId, qint64, double ppl) {
        if (mine(runId)) m_monitor->appendLog(tr("perplexity of the compressed model: %1").arg(ppl, 0, 'f', 3));
    });
    connect(recorder, &JobLibraryRecorder::evaluationProgress, this,
            [this, mine](qint64 runId, qint64 modelId, qint64 done, qint64 total, double left) {
        if (!mine(runId)) return;
        const bool baseline = m_library && [&] {
            const auto run = m_library->db().findRun(runId);
            return run && run->baseModelId == modelId;
        }();
        m_monitor->onEvaluationProgress(baseline ? tr("the original model (the baseline)") : tr("the compressed model"),
                                        done, total, left);
    });
    connect(recorder, &JobLibraryRecorder::baselineStored, this, [this, mine](qint64 runId, qint64, double ppl) {
        if (mine(runId)) m_monitor->appendLog(tr("perplexity of the original model (baseline): %1").arg(ppl, 0, 'f', 3));
    });
    connect(recorder, &JobLibraryRecorder::finetuneRegistered, this, [this](int jobId, qint64, qint64) {
        if (jobId == m_lastJob)
            m_monitor->appendLog(tr("PV-tuned model added to the library as a variant of %1").arg(m_jobs->job(jobId).outDir));
    });
    connect(recorder, &JobLibraryRecorder::finetuneRegistrationFailed, this, [this](int jobId, const QString& message) {
        if (jobId == m_lastJob) m_monitor->appendLog(tr("after PV-Tuning: %1").arg(message));
    });
    connect(recorder, &JobLibraryRecorder::postProcessingDone, this, [this, mine](qint64 runId) {
        if (mine(runId)) m_monitor->appendLog(tr("evaluation done"));
    });
    connect(recorder, &JobLibraryRecorder::postProcessingFailed, this, [this, mine](qint64 runId, const QString& message) {
        if (mine(runId)) m_monitor->appendLog(tr("after compression: %1").arg(message));
    });
}

void CompressPage::watchJob(int jobId) {
    m_lastJob = jobId;
    showResumedJob(jobId);
    updateButtons();
}

void CompressPage::showResumedJob(int jobId) {
    clearRun();
    const CompressionJob job = m_jobs->job(jobId);
    m_form->showRun(job.modelPath, job.outDir, job.options);
    if (m_library && m_recorder) {
        if (const qint64 runId = m_recorder->runIdOfJob(jobId)) {
            qint64 finished = 0;
            m_library->guarded(tr("Could not read the run's reports: %1"), [&] {
                finished = replayStoredRun(m_library->db(), runId, {m_epochPlot, m_layerPlot, m_finetunePlot, m_monitor},
                                           /*finishedBlocksOnly=*/true);
            });
            if (finished > 0) m_monitor->appendLog(tr("finished blocks restored from the library: %1").arg(finished));
        }
    }
    m_monitor->appendLog(tr("resuming %1").arg(job.outDir));
}

void CompressPage::cancel() {
    if (!ownsCurrentJob()) return;
    m_jobs->cancel();
    m_monitor->appendLog(tr("cancelling after the current step…"));
    m_cancel->setEnabled(false);
}

void CompressPage::resume() {
    if (!m_resume->isEnabled()) return;
    // The finished blocks come back from the library; the run then reports the blocks it still has to do.
    if (!m_jobs->job(m_lastJob).compressionDone) showResumedJob(m_lastJob);
    m_jobs->resume(m_lastJob);
    updateButtons();
}

void CompressPage::updateButtons() {
    const JobController::JobState state = m_jobs->state(m_lastJob);
    const bool active = runActive();
    if (!active) m_form->recheck();
    const QStringList problems = m_form->problems();
    m_start->setEnabled(!active && problems.isEmpty());
    m_start->setToolTip(problems.isEmpty() ? tr("Compress the model with these settings.")
                                           : tr("Cannot start yet:\n%1").arg(problems.join(QLatin1Char('\n'))));
    m_cancel->setEnabled(active && ownsCurrentJob());
    // Only a stopped run whose folder holds its unfinished state can continue.
    const bool stopped = state == JobController::JobState::Cancelled || state == JobController::JobState::Failed;
    // A run stopped in its PV-Tuning stage resumes that stage (from its checkpoint, if one was written).
    const CompressionJob job = m_jobs->job(m_lastJob);
    m_resume->setEnabled(!active && m_lastJob != 0 && stopped && (job.compressionDone || isResumableRunFolder(job.outDir)));
    m_pvBox->setEnabled(!active && m_form->options().method == aqlm::QuantMethod::Aqlm);
    // While this page's run goes on, the form shows its settings and takes no edits.
    if (m_form->isReadOnly() != active) m_form->setReadOnly(active);
}

}  // namespace aqlm::ui
