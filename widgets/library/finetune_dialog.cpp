#include "widgets/library/finetune_dialog.h"

#include "widgets/bridge/job_controller.h"
#include "widgets/bridge/job_library_recorder.h"
#include "widgets/core/library_service.h"
#include "widgets/core/model_record_info.h"
#include "widgets/core/shared_files.h"
#include "widgets/plot/finetune_monitor.h"

#include "engine/api/engine_facade.h"
#include "engine/api/memory_estimate.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <initializer_list>

namespace aqlm::ui {

namespace {
// The original at the top of the model's lineage (a fine-tuned variant's teacher is still the
// model everything was compressed from). 0 when the model is no variant.
qint64 originalOf(aqlm::ModelLibrary& db, qint64 modelId) {
    qint64 id = modelId;
    for (int hops = 0; hops < 64; ++hops) {  // a hand-edited loop must not hang the dialog
        const auto v = db.findVariantOf(id);
        if (!v) return id == modelId ? 0 : id;
        id = v->baseModelId;
    }
    return 0;
}

QSpinBox* spin(int low, int high, int value, int step = 1) {
    auto* box = new QSpinBox;
    box->setRange(low, high);
    box->setSingleStep(step);
    box->setValue(value);
    return box;
}

QDoubleSpinBox* doubleSpin(double low, double high, double value, int decimals) {
    auto* box = new QDoubleSpinBox;
    box->setDecimals(decimals);
    box->setRange(low, high);
    box->setSingleStep(value / 2);
    box->setValue(value);
    return box;
}
}  // namespace

FinetuneDialog::FinetuneDialog(LibraryService* library, JobController* jobs, JobLibraryRecorder* recorder,
                               qint64 studentModelId, QWidget* parent)
    : QDialog(parent), m_library(library), m_jobs(jobs), m_recorder(recorder), m_studentId(studentModelId) {
    setWindowTitle(tr("Fine-tune a compressed model"));
    setMinimumWidth(640);  // room for the folder paths and the memory line
    if (const auto m = m_library->db().findModel(studentModelId)) m_studentPath = QString::fromStdString(m->path);
    try {
        m_studentInfo = aqlm::inspectModel(m_studentPath.toStdString());
    } catch (const std::exception& e) {
        m_studentError = QString::fromUtf8(e.what());
    }
    m_monitor = new FinetuneMonitor;
    m_monitor->setVisible(false);  // shown once a run starts

    m_start = new QPushButton(tr("Start"));
    m_cancel = new QPushButton(tr("Cancel run"));
    m_resume = new QPushButton(tr("Resume"));
    m_resume->setToolTip(tr("Continue the cancelled or failed run from its last checkpoint."));
    m_start->setDefault(true);
    auto* close = new QPushButton(tr("Close"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_resume);
    buttons->addStretch(1);
    buttons->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildForm());
    layout->addLayout(buttons);
    layout->addWidget(m_monitor, 1);

    connect(m_start, &QPushButton::clicked, this, &FinetuneDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &FinetuneDialog::cancel);
    connect(m_resume, &QPushButton::clicked, this, &FinetuneDialog::resume);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    connectJobs();
    validate();
}

QWidget* FinetuneDialog::buildForm() {
    auto* form = new QWidget;
    auto* f = new QFormLayout(form);
    QString studentText = QFileInfo(m_studentPath).fileName();
    if (const auto v = m_library->db().findVariantOf(m_studentId))
        studentText += QStringLiteral(" (%1)").arg(QString::fromStdString(v->scheme));
    auto* student = new QLabel(studentText);
    student->setToolTip(m_studentPath);
    f->addRow(tr("Compressed model:"), student);

    m_teacher = new QComboBox;
    m_teacher->setToolTip(tr("The original model the compressed one was made from: its outputs are what the "
                             "compressed model learns to reproduce."));
    fillTeachers();
    f->addRow(tr("Original (teacher):"), m_teacher);

    m_data = new QLineEdit(defaultFinetuneTextFile());
    m_data->setPlaceholderText(tr("a plain-text file, e.g. the TinyStories training text"));
    auto* browse = new QToolButton;
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the fine-tuning text"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Fine-tuning text"), m_data->text(),
                                                          tr("Text files (*.txt *.raw);;All files (*)"));
        if (!file.isEmpty()) m_data->setText(file);
    });
    auto* dataRow = new QHBoxLayout;
    dataRow->setContentsMargins(0, 0, 0, 0);
    dataRow->addWidget(m_data, 1);
    dataRow->addWidget(browse);
    f->addRow(tr("Fine-tuning text:"), dataRow);

    m_mode = new QComboBox;
    m_mode->addItem(tr("PV-Tuning (codes and codebooks)"), int(aqlm::FinetuneMode::Pv));
    m_mode->addItem(tr("Global fine-tuning (codebooks only)"), int(aqlm::FinetuneMode::Global));
    m_mode->setToolTip(tr("PV-Tuning also changes the discrete codes and usually gains more; global fine-tuning "
                          "keeps the codes and trains codebooks, scales and norms."));
    f->addRow(tr("Mode:"), m_mode);

    m_steps = spin(1, 1000000, 100, 10);
    m_steps->setToolTip(tr("Optimizer steps; each sees the tokens per step set under Advanced."));
    f->addRow(tr("Steps:"), m_steps);

    m_out = new QLineEdit(defaultFinetuneOutDir(m_studentPath, aqlm::FinetuneMode::Pv));
    f->addRow(tr("Output folder:"), m_out);

    m_advancedToggle = new QToolButton;
    m_advancedToggle->setText(tr("Advanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    m_advanced = buildAdvanced();
    m_advanced->setVisible(false);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool on) {
        m_advanced->setVisible(on);
        m_advancedToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        adjustSize();
    });
    f->addRow(m_advancedToggle);
    f->addRow(m_advanced);

    m_memory = new QLabel;
    m_memory->setWordWrap(true);
    f->addRow(tr("Memory:"), m_memory);
    m_problemLabel = new QLabel;
    m_problemLabel->setWordWrap(true);
    m_problemLabel->setStyleSheet(QStringLiteral("color: #b00020"));
    f->addRow(m_problemLabel);

    connect(m_teacher, qOverload<int>(&QComboBox::currentIndexChanged), this, &FinetuneDialog::validate);
    connect(m_data, &QLineEdit::textChanged, this, &FinetuneDialog::validate);
    connect(m_out, &QLineEdit::textChanged, this, &FinetuneDialog::validate);
    connect(m_steps, qOverload<int>(&QSpinBox::valueChanged), this, &FinetuneDialog::validate);
    connect(m_mode, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        // The proposed folder follows the mode until the user types one of their own.
        const aqlm::FinetuneMode other =
            options().mode == aqlm::FinetuneMode::Pv ? aqlm::FinetuneMode::Global : aqlm::FinetuneMode::Pv;
        if (m_out->text() == defaultFinetuneOutDir(m_studentPath, other))
            m_out->setText(defaultFinetuneOutDir(m_studentPath, options().mode));
        const bool pv = options().mode == aqlm::FinetuneMode::Pv;
        m_tau->setEnabled(pv);
        m_codeLr->setEnabled(pv);
        validate();
    });
    return form;
}

QWidget* FinetuneDialog::buildAdvanced() {
    const aqlm::FinetuneOptions d;
    auto* panel = new QWidget;
    auto* f = new QFormLayout(panel);
    f->setContentsMargins(16, 0, 0, 0);
    m_tokensPerStep = spin(1, 1 << 24, int(d.tokensPerStep), 256);
    m_tokensPerStep->setToolTip(tr("Training tokens per step, in whole windows of the sequence length."));
    f->addRow(tr("Tokens per step:"), m_tokensPerStep);
    m_seqLen = spin(0, 1 << 20, 0, 64);
    m_seqLen->setSpecialValueText(tr("model context"));
    f->addRow(tr("Sequence length:"), m_seqLen);
    m_lr = doubleSpin(1e-7, 1.0, d.learningRate, 6);
    m_lr->setToolTip(tr("Adam learning rate of codebooks, scales and norms."));
    f->addRow(tr("Learning rate:"), m_lr);
    m_tau = doubleSpin(0.0, 1.0, d.tau, 4);
    m_tau->setToolTip(tr("Fraction of each layer's code groups re-encoded per step (PV-Tuning)."));
    f->addRow(tr("Codes updated per step:"), m_tau);
    m_codeLr = doubleSpin(1e-7, 1.0, d.codeLearningRate, 5);
    m_codeLr->setToolTip(tr("Step size of the continuous weights the new codes are chosen from (PV-Tuning)."));
    f->addRow(tr("Code learning rate:"), m_codeLr);
    m_evalEvery = spin(1, 1000000, int(d.evalEvery));
    m_evalEvery->setToolTip(tr("Steps between validation measurements; the best state is kept and a checkpoint "
                               "written, so a cancelled run resumes from there."));
    f->addRow(tr("Validate every (steps):"), m_evalEvery);
    m_seed = spin(0, 1 << 30, 0);
    f->addRow(tr("Seed:"), m_seed);
    for (QSpinBox* b : {m_tokensPerStep, m_seqLen, m_evalEvery})
        connect(b, qOverload<int>(&QSpinBox::valueChanged), this, &FinetuneDialog::validate);
    return panel;
}

void FinetuneDialog::fillTeachers() {
    aqlm::ModelLibrary& db = m_library->db();
    const qint64 original = originalOf(db, m_studentId);
    for (const aqlm::ModelRecord& m : db.listModels()) {
        if (db.findVariantOf(m.id)) continue;  // compressed models teach nothing
        m_teacher->addItem(QString::fromStdString(m.name), QString::fromStdString(m.path));
        m_teacher->setItemData(m_teacher->count() - 1, QString::fromStdString(m.path), Qt::ToolTipRole);
        if (m.id == original) m_teacher->setCurrentIndex(m_teacher->count() - 1);
    }
    if (!original) m_teacher->setCurrentIndex(-1);  // no lineage: the user picks
}

QString FinetuneDialog::teacherPath() const { return m_teacher->currentData().toString(); }
QString FinetuneDialog::memoryText() const { return m_memory->text(); }
QString FinetuneDialog::outDir() const { return m_out->text().trimmed(); }

aqlm::FinetuneOptions FinetuneDialog::options() const {
    aqlm::FinetuneOptions o;
    o.mode = aqlm::FinetuneMode(m_mode->currentData().toInt());
    const QString data = m_data->text().trimmed();
    if (!data.isEmpty()) o.dataFiles = {data.toStdString()};
    o.steps = m_steps->value();
    o.tokensPerStep = m_tokensPerStep->value();
    o.seqLen = m_seqLen->value();
    o.learningRate = m_lr->value();
    o.tau = m_tau->value();
    o.codeLearningRate = m_codeLr->value();
    o.evalEvery = m_evalEvery->value();
    o.seed = uint64_t(m_seed->value());
    return o;
}

void FinetuneDialog::validate() {
    QStringList problems;
    if (!m_studentError.isEmpty()) problems << tr("The compressed model cannot be read: %1").arg(m_studentError);
    aqlm::ModelInfo teacher;
    if (teacherPath().isEmpty()) {
        problems << tr("Choose the original model (the teacher).");
    } else {
        try {
            teacher = aqlm::inspectModel(teacherPath().toStdString());
            if (m_studentError.isEmpty() &&
                (teacher.dim != m_studentInfo.dim || teacher.nLayers != m_studentInfo.nLayers ||
                 teacher.vocabSize != m_studentInfo.vocabSize || teacher.hiddenDim != m_studentInfo.hiddenDim))
                problems << tr("The original has another architecture than the compressed model; choose the model it "
                               "was compressed from.");
        } catch (const std::exception& e) {
            problems << tr("The original cannot be read: %1").arg(QString::fromUtf8(e.what()));
        }
    }
    const QFileInfo data(m_data->text().trimmed());
    if (m_data->text().trimmed().isEmpty())
        problems << tr("Choose a fine-tuning text.");
    else if (!data.isFile() || !data.isReadable())
        problems << tr("The fine-tuning text %1 does not exist or cannot be read.").arg(data.filePath());
    else if (data.size() == 0)
        problems << tr("The fine-tuning text %1 is empty.").arg(data.filePath());
    const QString out = outDir();
    if (out.isEmpty())
        problems << tr("Choose an output folder.");
    else if (QFileInfo(out).exists() && !(QFileInfo(out).isDir() && QDir(out).isEmpty()))
        problems << tr("The output folder %1 already exists and is not empty; choose a new folder.").arg(out);
    else if (QDir::cleanPath(QFileInfo(out).absoluteFilePath()) == QDir::cleanPath(QFileInfo(m_studentPath).absoluteFilePath()))
        problems << tr("The output folder must not be the compressed model's own folder.");

    if (m_studentError.isEmpty() && teacher.dim > 0) {
        const aqlm::MemoryEstimate e = aqlm::estimateFinetuneMemory(m_studentInfo, teacher, options());
        QString text = tr("about %1 (models and training state %2, activations and runtime %3)")
                           .arg(QString::fromStdString(aqlm::formatBytes(e.totalBytes())),
                                QString::fromStdString(aqlm::formatBytes(e.weightBytes)),
                                QString::fromStdString(aqlm::formatBytes(e.workingBytes)));
        if (e.availableBytes > 0)
            text += tr("; %1 available").arg(QString::fromStdString(aqlm::formatBytes(e.availableBytes)));
        m_memory->setText(text);
        if (!e.fits()) {
            QString p = tr("Fine-tuning would need more memory than is available.");
            if (!e.whatWouldFit.empty()) p += QLatin1Char(' ') + tr("Try: %1.").arg(QString::fromStdString(e.whatWouldFit));
            problems << p;
        }
    } else {
        m_memory->setText(tr("known once both models can be read"));
    }
    m_problems = problems;
    m_problemLabel->setText(problems.join(QLatin1Char('\n')));
    m_problemLabel->setVisible(!problems.isEmpty());
    updateButtons();
}

bool FinetuneDialog::isRunning() const {
    const JobController::JobState s = m_jobs->state(m_jobId);
    return m_jobId != 0 && (s == JobController::JobState::Running || s == JobController::JobState::Queued);
}

bool FinetuneDialog::ownsCurrentJob() const { return m_jobId != 0 && m_jobs->currentJobId() == m_jobId; }

void FinetuneDialog::updateButtons() {
    const bool running = isRunning();
    const JobController::JobState s = m_jobs->state(m_jobId);
    const bool stopped = s == JobController::JobState::Cancelled || s == JobController::JobState::Failed;
    m_start->setEnabled(!running && !stopped && m_problems.isEmpty());
    m_start->setToolTip(m_problems.isEmpty() ? tr("Fine-tune with these settings.")
                                             : tr("Cannot start yet:\n%1").arg(m_problems.join(QLatin1Char('\n'))));
    m_cancel->setEnabled(running);
    m_resume->setEnabled(!running && stopped);
    // A run's settings stay as they were while it runs and while it can be resumed.
    for (QWidget* w : std::initializer_list<QWidget*>{m_teacher, m_data, m_mode, m_steps, m_out, m_advanced})
        w->setEnabled(!running && !stopped);
}

void FinetuneDialog::start() {
    validate();
    if (!m_start->isEnabled()) return;
    CompressionJob job;
    job.compress = false;
    job.modelPath = m_studentPath;
    job.finetune.enabled = true;
    job.finetune.teacherPath = teacherPath();
    job.finetune.outDir = outDir();
    job.finetune.options = options();
    m_registeredModelId = 0;
    m_monitor->setVisible(true);
    m_monitor->start(job.finetune.options.steps, job.finetune.options.mode);
    m_jobId = m_jobs->enqueue(job);
    if (m_jobs->state(m_jobId) == JobController::JobState::Queued)
        m_monitor->showStopped(tr("Waiting for the running job to finish…"));
    resize(std::max(width(), 960), std::max(height(), 720));
    updateButtons();
}

void FinetuneDialog::cancel() {
    if (!isRunning()) return;
    m_jobs->cancel();
    m_monitor->showStopped(tr("Cancelling after the current step…"));
    m_cancel->setEnabled(false);
}

void FinetuneDialog::resume() {
    if (!m_resume->isEnabled()) return;
    const CompressionJob job = m_jobs->job(m_jobId);
    m_monitor->start(job.finetune.options.steps, job.finetune.options.mode);
    m_jobs->resume(m_jobId);
    updateButtons();
}

void FinetuneDialog::connectJobs() {
    connect(m_jobs, &JobController::jobStateChanged, this, [this](int id, JobController::JobState state) {
        if (id != m_jobId) return;
        // The folder now holds the result: propose the next free one, so Start is ready again.
        if (state == JobController::JobState::Finished) m_out->setText(defaultFinetuneOutDir(m_studentPath, options().mode));
        validate();
    });
    connect(m_jobs, &JobController::finetuneStep, this, [this](const aqlm::FinetuneStepReport& r) {
        if (ownsCurrentJob()) m_monitor->addStep(r);
    });
    connect(m_jobs, &JobController::finetuneEvaluation, this, [this](const aqlm::FinetuneEvalReport& r) {
        if (ownsCurrentJob()) m_monitor->addEvaluation(r);
    });
    connect(m_jobs, &JobController::finetuneFinished, this, [this](const aqlm::FinetuneSummary& s) {
        if (m_jobs->endedJobId() != m_jobId) return;
        m_monitor->showFinished(s);
        Q_EMIT statusMessage(tr("Fine-tuning finished: %1").arg(m_jobs->job(m_jobId).finetune.outDir));
    });
    connect(m_jobs, &JobController::failed, this, [this](const QString& message) {
        if (m_jobs->endedJobId() != m_jobId) return;
        m_monitor->showStopped(tr("Fine-tuning failed: %1").arg(message));
        Q_EMIT statusMessage(tr("Fine-tuning failed"));
    });
    connect(m_jobs, &JobController::cancelled, this, [this] {
        if (m_jobs->endedJobId() != m_jobId) return;
        m_monitor->showStopped(tr("Cancelled. The last checkpoint is kept: Resume continues from it."));
        Q_EMIT statusMessage(tr("Fine-tuning cancelled"));
    });
    if (!m_recorder) return;
    connect(m_recorder, &JobLibraryRecorder::finetuneRegistered, this, [this](int jobId, qint64 modelId, qint64) {
        if (jobId != m_jobId) return;
        m_registeredModelId = modelId;
        m_monitor->showStopped(m_monitor->statusText() + QLatin1Char(' ') +
                               tr("Added to the library as a variant of %1.").arg(QFileInfo(m_studentPath).fileName()));
        Q_EMIT variantRegistered(modelId);
    });
    connect(m_recorder, &JobLibraryRecorder::finetuneRegistrationFailed, this, [this](int jobId, const QString& message) {
        if (jobId == m_jobId) m_monitor->showStopped(tr("The result could not be added to the library: %1").arg(message));
    });
}

}  // namespace aqlm::ui
