#include "widgets/evaluate/evaluate_page.h"
#include "widgets/core/app_settings.h"

#include "engine/api/engine_facade.h"
#include "engine/api/memory_estimate.h"

#include "widgets/bridge/engine_worker.h"
#include "widgets/core/library_service.h"
#include "widgets/core/model_record_info.h"
#include "widgets/evaluate/perplexity_plot.h"
#include "widgets/evaluate/speed_worker.h"

#include "engine/library/sha256.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <set>

namespace aqlm::ui {
namespace {

constexpr int kIdRole = Qt::UserRole;
constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kProgressSteps = 1000;
constexpr int kSpeedPromptTokens = 128;
constexpr int kSpeedNewTokens = 64;
const char* kValidationText = "data/tinystories/tinystories_valid_head.txt";  // docs EVALUATION.md

QTableWidgetItem* cell(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return item;
}

}  // namespace

QString EvaluatePage::defaultDataPath() {
    QStringList roots;
    for (const char* variable : {"AQLM_SHARED", "AQLM_SHARED_DEFAULT"})
        if (const QString v = qEnvironmentVariable(variable); !v.isEmpty()) roots << v;
    roots << QDir::current().filePath(QStringLiteral("../shared"));
    // build/bin/aqlm-studio in a checkout beside ../shared
    const QString appDir = QCoreApplication::applicationDirPath();
    if (!appDir.isEmpty()) roots << appDir + QStringLiteral("/../../../shared") << appDir + QStringLiteral("/../../shared");
    for (const QString& root : roots) {
        const QFileInfo file(QDir(root).filePath(QLatin1String(kValidationText)));
        if (file.isFile()) return QDir::cleanPath(file.absoluteFilePath());
    }
    return {};
}

EvaluatePage::EvaluatePage(LibraryService* library, QWidget* parent) : QWidget(parent), m_library(library) {
    m_models = new QListWidget;
    m_models->setToolTip(tr("Check the models to evaluate; they run one after another."));
    m_dataPath = new QLineEdit(defaultDataPath());
    m_dataPath->setPlaceholderText(tr("UTF-8 text file"));
    auto* browse = new QPushButton(tr("Browse…"));
    m_seqLen = new QSpinBox;
    m_seqLen->setRange(0, 1 << 20);
    m_seqLen->setSpecialValueText(tr("model context"));
    m_seqLen->setToolTip(tr("Window length in tokens; 0 uses the model's context."));
    m_maxWindows = new QSpinBox;
    m_maxWindows->setRange(0, 1 << 24);
    m_maxWindows->setSpecialValueText(tr("all"));
    m_maxWindows->setToolTip(tr("Score only the first N windows for a quick look; 0 scores the whole text."));
    m_run = new QPushButton(tr("Evaluate"));
    m_run->setDefault(true);
    m_speed = new QPushButton(tr("Measure speed"));
    m_speed->setToolTip(tr("Prefill and decode tokens/s of the checked models on this machine (median of 3 runs)."));
    m_cancel = new QPushButton(tr("Cancel"));
    m_progress = new QProgressBar;
    m_progress->setRange(0, kProgressSteps);
    m_progress->setValue(0);
    m_memory = new QLabel;
    m_memory->setWordWrap(true);
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_message->hide();
    m_plot = new PerplexityPlot;
    m_results = new QTableWidget(0, 4);
    m_results->setHorizontalHeaderLabels({tr("Model"), tr("Measurement"), tr("Result"), tr("Details")});
    m_results->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_results->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_results->verticalHeader()->setVisible(false);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_dataPath, 1);
    fileRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Text file:"), fileRow);
    form->addRow(tr("Sequence length:"), m_seqLen);
    form->addRow(tr("Max windows:"), m_maxWindows);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addWidget(m_speed);
    buttons->addWidget(m_cancel);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    m_emptyHint = new QLabel(tr("No models yet. Import one on the Library page (or compress one on the Compress "
                                "page): it appears here, ready to measure its perplexity and speed."));
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setStyleSheet(QStringLiteral("color: #555; padding: 8px;"));
    m_emptyHint->hide();
    leftLayout->addWidget(new QLabel(tr("Models:")));
    leftLayout->addWidget(m_emptyHint);
    leftLayout->addWidget(m_models, 1);
    leftLayout->addLayout(form);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_memory);
    leftLayout->addWidget(m_progress);
    leftLayout->addWidget(m_message);
    left->setMinimumWidth(360);
    left->setMaximumWidth(520);

    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(m_plot);
    right->addWidget(m_results);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(left);
    layout->addWidget(right, 1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Evaluation text"), dataPath(),
                                                          tr("Text files (*.txt *.raw);;All files (*)"));
        if (!path.isEmpty()) setDataPath(path);
    });
    connect(m_run, &QPushButton::clicked, this, &EvaluatePage::run);
    connect(m_models, &QListWidget::itemChanged, this, &EvaluatePage::updateMemoryEstimate);
    connect(m_seqLen, qOverload<int>(&QSpinBox::valueChanged), this, &EvaluatePage::updateMemoryEstimate);
    connect(m_speed, &QPushButton::clicked, this, &EvaluatePage::measureSpeed);
    connect(m_cancel, &QPushButton::clicked, this, &EvaluatePage::cancel);

    // An engine thread of the page's own: evaluations do not queue behind a compression.
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("evaluate-engine"));
    m_worker = new EngineWorker;
    m_speedWorker = new SpeedWorker;
    m_worker->moveToThread(m_thread);
    m_speedWorker->moveToThread(m_thread);
    connect(m_worker, &EngineWorker::evalProgress, this, &EvaluatePage::onEvalProgress);
    connect(m_worker, &EngineWorker::evalFinished, this, &EvaluatePage::onEvalFinished);
    connect(m_worker, &EngineWorker::failed, this, &EvaluatePage::onJobFailed);
    connect(m_worker, &EngineWorker::cancelled, this, [this] { endQueue(tr("Cancelled.")); });
    connect(m_speedWorker, &SpeedWorker::measured, this, &EvaluatePage::onSpeedMeasured);
    connect(m_speedWorker, &SpeedWorker::failed, this, &EvaluatePage::onJobFailed);
    connect(m_speedWorker, &SpeedWorker::cancelled, this, [this] { endQueue(tr("Cancelled.")); });
    m_thread->start();

    if (!m_library) {
        showError(tr("The model library could not be opened: evaluations need it to choose models and store results."));
        m_models->setEnabled(false);
    } else {
        connect(m_library, &LibraryService::changed, this, &EvaluatePage::refresh);
        refresh();
    }
    updateButtons();
}

EvaluatePage::~EvaluatePage() {
    m_worker->cancel();
    m_speedWorker->cancel();
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    delete m_speedWorker;
}

QString EvaluatePage::dataPath() const { return m_dataPath->text().trimmed(); }

void EvaluatePage::setDataPath(const QString& path) { m_dataPath->setText(path); }

void EvaluatePage::setModelChecked(qint64 modelId, bool checked) {
    for (int i = 0; i < m_models->count(); ++i)
        if (m_models->item(i)->data(kIdRole).toLongLong() == modelId)
            m_models->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

void EvaluatePage::refresh() {
    if (!m_library) return;
    std::set<qint64> checked;
    for (int i = 0; i < m_models->count(); ++i)
        if (m_models->item(i)->checkState() == Qt::Checked) checked.insert(m_models->item(i)->data(kIdRole).toLongLong());
    {
        // One memory estimate after the list is rebuilt, not one per restored check mark.
        const QSignalBlocker quiet(m_models);
        m_models->clear();
        try {
            for (const auto& model : m_library->db().listModels()) {
                QString text = QString::fromStdString(model.name);
                if (auto variant = m_library->db().findVariantOf(model.id))
                    text += QStringLiteral("  [%1 %2]").arg(QString::fromStdString(variant->method).toUpper(),
                                                            QString::fromStdString(variant->scheme));
                auto* item = new QListWidgetItem(text, m_models);
                item->setData(kIdRole, qint64(model.id));
                item->setData(kPathRole, QString::fromStdString(model.path));
                item->setToolTip(QString::fromStdString(model.path));
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
                item->setCheckState(checked.count(model.id) ? Qt::Checked : Qt::Unchecked);
            }
        } catch (const std::exception& e) {
            showError(tr("Could not read the library: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    m_emptyHint->setVisible(m_models->count() == 0);
    updateMemoryEstimate();
}

void EvaluatePage::updateMemoryEstimate() {
    // Models run one after another: the largest need is what must fit. Headers only, cheap.
    aqlm::MemoryEstimate largest;
    QString largestName;
    for (const Job& job : checkedJobs(false)) {
        try {
            const aqlm::MemoryEstimate e =
                aqlm::estimatePerplexityMemory(aqlm::inspectModel(job.modelPath.toStdString()), m_seqLen->value());
            if (e.totalBytes() > largest.totalBytes()) {
                largest = e;
                largestName = job.name;
            }
        } catch (const std::exception&) {
            // The run reports an unreadable model with its reason; the estimate just leaves it out.
        }
    }
    if (largestName.isEmpty()) {
        m_memory->clear();
        return;
    }
    const QString needed = QString::fromStdString(aqlm::formatBytes(largest.totalBytes()));
    const QString available = QString::fromStdString(aqlm::formatBytes(largest.availableBytes));
    m_memory->setStyleSheet(largest.fits() ? QString() : QStringLiteral("color: #b00020;"));
    m_memory->setText(largest.fits()
                          ? tr("Memory: about %1 needed (%2), %3 available.").arg(needed, largestName, available)
                          : tr("Does not fit in memory: about %1 needed (%2), %3 available. %4")
                                .arg(needed, largestName, available, QString::fromStdString(largest.whatWouldFit)));
}

std::deque<EvaluatePage::Job> EvaluatePage::checkedJobs(bool speed) {
    std::deque<Job> jobs;
    for (int i = 0; i < m_models->count(); ++i) {
        const QListWidgetItem* item = m_models->item(i);
        if (item->checkState() != Qt::Checked) continue;
        jobs.push_back({item->data(kIdRole).toLongLong(), item->text(), item->data(kPathRole).toString(), speed});
    }
    return jobs;
}

void EvaluatePage::run() {
    if (m_running) return;
    if (!m_library) return showError(tr("The model library is not open."));
    std::deque<Job> jobs = checkedJobs(false);
    if (jobs.empty()) return showError(tr("Check at least one model to evaluate."));
    const QString path = dataPath();
    if (path.isEmpty()) return showError(tr("Choose a text file to evaluate on."));
    const QFileInfo file(path);
    if (!file.exists()) return showError(tr("%1: file not found").arg(path));
    if (!file.isFile() || !file.isReadable()) return showError(tr("%1: not a readable file").arg(path));
    if (file.size() == 0) return showError(tr("%1: the file is empty").arg(path));
    try {
        m_runDataSha256 = QString::fromStdString(aqlm::sha256File(file.absoluteFilePath().toStdString()));
    } catch (const std::exception& e) {
        return showError(tr("Could not read %1: %2").arg(path, QString::fromUtf8(e.what())));
    }
    m_runDataPath = file.absoluteFilePath();
    m_runSeqLen = m_seqLen->value();
    m_runMaxWindows = m_maxWindows->value();
    m_plot->clear();
    startQueue(std::move(jobs));
}

void EvaluatePage::measureSpeed() {
    if (m_running) return;
    if (!m_library) return showError(tr("The model library is not open."));
    std::deque<Job> jobs = checkedJobs(true);
    if (jobs.empty()) return showError(tr("Check at least one model to measure."));
    startQueue(std::move(jobs));
}

void EvaluatePage::startQueue(std::deque<Job> jobs) {
    m_queue = std::move(jobs);
    m_total = int(m_queue.size());
    m_done = 0;
    m_errors.clear();
    m_message->hide();
    m_progress->setValue(0);
    m_running = true;
    updateButtons();
    startNext();
}

void EvaluatePage::startNext() {
    if (m_queue.empty()) {
        endQueue(m_errors.isEmpty() ? QString() : m_errors.join(QLatin1Char('\n')));
        return;
    }
    m_current = m_queue.front();
    m_queue.pop_front();
    if (m_current.speed) {
        Q_EMIT statusMessage(tr("Measuring the speed of %1…").arg(m_current.name));
        m_speedWorker->resetCancel();
        const QString path = m_current.modelPath;
        QMetaObject::invokeMethod(
            m_speedWorker,
            [w = m_speedWorker, path, runtime = AppSettings::runtime()] {
                w->measure(path, kSpeedPromptTokens, kSpeedNewTokens, runtime);
            },
            Qt::QueuedConnection);
        return;
    }
    Q_EMIT statusMessage(tr("Evaluating %1…").arg(m_current.name));
    m_plot->startCurve(m_current.name);
    aqlm::EvalRequest request;
    request.modelPath = m_current.modelPath.toStdString();
    request.dataPath = m_runDataPath.toStdString();
    request.seqLen = m_runSeqLen;
    request.maxWindows = m_runMaxWindows;
    request.runtime = AppSettings::runtime();
    m_worker->resetCancel();
    QMetaObject::invokeMethod(m_worker, [w = m_worker, request] { w->runPerplexity(request); }, Qt::QueuedConnection);
}

void EvaluatePage::endQueue(const QString& message) {
    m_queue.clear();
    m_running = false;
    if (message.isEmpty()) {
        m_message->hide();
        m_progress->setValue(kProgressSteps);
        Q_EMIT statusMessage(tr("Done."));
    } else {
        showError(message);
        Q_EMIT statusMessage(message.section(QLatin1Char('\n'), 0, 0));
    }
    updateButtons();
    Q_EMIT runFinished();
}

void EvaluatePage::showError(const QString& message) {
    m_message->setText(message);
    m_message->show();
}

void EvaluatePage::cancel() {
    if (!m_running) return;
    m_queue.clear();
    m_worker->cancel();
    m_speedWorker->cancel();
}

void EvaluatePage::onEvalProgress(const aqlm::EvalReport& report) {
    if (!m_running || m_current.speed) return;
    m_plot->addPoint(report.windows, report.perplexity);
    int64_t expected = report.seqLen > 0 ? report.tokens / report.seqLen : 0;
    if (m_runMaxWindows > 0) expected = std::min<int64_t>(expected, m_runMaxWindows);
    const double fraction = expected > 0 ? std::min(1.0, double(report.windows) / double(expected)) : 0.0;
    m_progress->setValue(int(kProgressSteps * (m_done + fraction) / std::max(1, m_total)));
}

void EvaluatePage::onEvalFinished(const aqlm::EvalReport& report) {
    if (!m_running) return;
    m_plot->addPoint(report.windows, report.perplexity);
    const aqlm::EvaluationRecord record = evaluationRecordFrom(report, m_current.modelId, m_runDataPath.toStdString(),
                                                              m_runDataSha256.toStdString());
    QString error;
    if (!m_library->guarded(tr("Could not store the perplexity of %1: %2").arg(m_current.name, QStringLiteral("%1")),
                            [&] { m_library->db().addEvaluation(record); }, &error))
        m_errors << tr("%1: could not store the result: %2").arg(m_current.name, error);
    addResultRow(m_current.name, tr("perplexity"),
                 QStringLiteral("%1 ± %2").arg(report.perplexity, 0, 'f', 3).arg(report.stdError, 0, 'f', 3),
                 tr("%1, seq %2, %3 windows, %4 predictions, mean NLL %5, %6 s")
                     .arg(QFileInfo(m_runDataPath).fileName())
                     .arg(report.seqLen)
                     .arg(report.windows)
                     .arg(report.predictions)
                     .arg(report.meanNll, 0, 'f', 4)
                     .arg(report.seconds, 0, 'f', 1));
    ++m_done;
    m_progress->setValue(kProgressSteps * m_done / std::max(1, m_total));
    m_library->notifyChanged();
    startNext();
}

void EvaluatePage::onSpeedMeasured(const aqlm::SpeedReport& report) {
    if (!m_running) return;
    aqlm::SpeedRecord record;
    record.modelId = m_current.modelId;
    record.device = report.device;
    record.threads = report.threads;
    record.kernel = report.kernel;
    record.promptTokens = report.promptTokens;
    record.newTokens = report.newTokens;
    record.prefillTokensPerSecond = report.prefillTokensPerSecond;
    record.decodeTokensPerSecond = report.decodeTokensPerSecond;
    QString error;
    if (!m_library->guarded(tr("Could not store the speed of %1: %2").arg(m_current.name, QStringLiteral("%1")),
                            [&] { m_library->db().addSpeedMeasurement(record); }, &error))
        m_errors << tr("%1: could not store the result: %2").arg(m_current.name, error);
    addResultRow(m_current.name, tr("decode speed"), tr("%1 tok/s").arg(report.decodeTokensPerSecond, 0, 'f', 1),
                 tr("prefill %1 tok/s; prompt %2, %3 new tokens; %4 threads (%5); %6")
                     .arg(report.prefillTokensPerSecond, 0, 'f', 1)
                     .arg(report.promptTokens)
                     .arg(report.newTokens)
                     .arg(report.threads)
                     .arg(QString::fromStdString(report.device), QString::fromStdString(report.kernel)));
    ++m_done;
    m_progress->setValue(kProgressSteps * m_done / std::max(1, m_total));
    m_library->notifyChanged();
    startNext();
}

void EvaluatePage::onJobFailed(const QString& message) {
    if (!m_running) return;
    // One model failing (missing file, too short a text for a window) does not stop the others.
    m_errors << tr("%1 could not be measured: %2").arg(m_current.name, message);
    ++m_done;
    startNext();
}

void EvaluatePage::addResultRow(const QString& model, const QString& what, const QString& value, const QString& details) {
    const int row = m_results->rowCount();
    m_results->insertRow(row);
    m_results->setItem(row, 0, cell(model));
    m_results->setItem(row, 1, cell(what));
    m_results->setItem(row, 2, cell(value));
    m_results->setItem(row, 3, cell(details));
}

void EvaluatePage::updateButtons() {
    const bool usable = m_library != nullptr;
    m_run->setEnabled(usable && !m_running);
    m_speed->setEnabled(usable && !m_running);
    m_cancel->setEnabled(m_running);
    m_dataPath->setEnabled(!m_running);
    m_seqLen->setEnabled(!m_running);
    m_maxWindows->setEnabled(!m_running);
}

}  // namespace aqlm::ui
