#include "app/gui/main_window.h"

#include "widgets/bridge/job_controller.h"
#include "widgets/bridge/job_library_recorder.h"
#include "widgets/chat/chat_page.h"
#include "widgets/compare/compare_page.h"
#include "widgets/compress/compress_page.h"
#include "widgets/compress/compress_settings_form.h"
#include "widgets/core/library_service.h"
#include "widgets/evaluate/evaluate_page.h"
#include "widgets/library/interrupted_runs.h"
#include "widgets/library/library_page.h"
#include "widgets/settings/settings_dialog.h"

#include "engine/api/engine_facade.h"
#include "engine/layers/kernels/isa_kernels.h"
#include "engine/runtime/threads.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QMenuBar>
#include <QScreen>
#include <QMessageBox>
#include <QUrl>

#include <QStatusBar>
#include <QTabWidget>

namespace aqlm::ui {

MainWindow::MainWindow(LibraryService* library, QWidget* parent) : QMainWindow(parent), m_library(library) {
    setWindowTitle(tr("AQLM Studio"));
    m_jobs = new JobController(this);
    m_tabs = new QTabWidget(this);
    m_compressPage = new CompressPage(m_jobs);
    m_tabs->addTab(m_compressPage, tr("Compress"));
    if (m_library) {
        // A library write a page could not make (LibraryService::guarded) is reported here rather
        // than thrown out of a slot.
        connect(m_library, &LibraryService::failed, this, [this](const QString& m) { statusBar()->showMessage(m); });
        // Every queued job becomes a library run; finished ones become variants with their PPL.
        m_jobRecorder = new JobLibraryRecorder(m_jobs, m_library, this);
        m_libraryPage = new LibraryPage(m_library);
        m_tabs->insertTab(0, m_libraryPage, tr("Library"));
        m_tabs->setCurrentIndex(0);
        m_compressPage->setLibrary(m_library);
        m_compressPage->setJobRecorder(m_jobRecorder);
        m_libraryPage->setJobs(m_jobs, m_jobRecorder);
        connect(m_libraryPage, &LibraryPage::compressRequested, this, [this](const QString& path) {
            m_compressPage->settingsForm()->setModelPath(path);
            m_tabs->setCurrentWidget(m_compressPage);
        });
        connect(m_libraryPage, &LibraryPage::statusMessage, statusBar(), [this](const QString& m) { statusBar()->showMessage(m); });
        connect(m_jobRecorder, &JobLibraryRecorder::postProcessingFailed, this, [this](qint64 runId, const QString& m) {
            statusBar()->showMessage(tr("Run #%1: %2").arg(runId).arg(m));
        });
        connect(m_jobRecorder, &JobLibraryRecorder::evaluationStored, this, [this](qint64, qint64, double ppl) {
            statusBar()->showMessage(tr("Compressed model added to the library; perplexity %1").arg(ppl, 0, 'f', 3));
        });
    }
    setCentralWidget(m_tabs);
    connect(m_compressPage, &CompressPage::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message);
    });
    m_evaluatePage = new EvaluatePage(m_library);
    m_tabs->addTab(m_evaluatePage, tr("Evaluate"));
    connect(m_evaluatePage, &EvaluatePage::statusMessage, statusBar(), [this](const QString& m) { statusBar()->showMessage(m); });
    m_comparePage = new ComparePage(m_library);
    m_tabs->addTab(m_comparePage, tr("Compare"));
    connect(m_comparePage, &ComparePage::statusMessage, statusBar(), [this](const QString& m) { statusBar()->showMessage(m); });
    m_chatPage = new ChatPage(m_library);
    m_tabs->addTab(m_chatPage, tr("Chat"));
    connect(m_chatPage, &ChatPage::statusMessage, statusBar(), [this](const QString& m) { statusBar()->showMessage(m); });
    buildMenus();
    statusBar()->showMessage(tr("Ready"));
    // Never larger than the screen (1366x768 and 1280x720 laptops included).
    QSize size(1360, 860);
    if (const QScreen* screen = this->screen()) size = size.boundedTo(screen->availableGeometry().size());
    resize(size);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    settings->addAction(tr("&Settings…"), this, &MainWindow::openSettings)->setMenuRole(QAction::PreferencesRole);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* docs = help->addAction(tr("&Documentation"), this, [] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(documentationPath()));
    });
    docs->setObjectName(QStringLiteral("documentationAction"));
    docs->setEnabled(!documentationPath().isEmpty());
    docs->setToolTip(documentationPath().isEmpty() ? tr("The documentation is not installed.") : documentationPath());
    help->addAction(tr("&About AQLM Studio"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
}

QString MainWindow::documentationPath() {
    const QString appDir = QCoreApplication::applicationDirPath();
    for (const QString& candidate : {appDir + QStringLiteral("/../share/doc/aqlm-studio/README.md"),
                                     appDir + QStringLiteral("/../../README.md")}) {
        const QFileInfo file(candidate);
        if (file.isFile()) return QDir::cleanPath(file.absoluteFilePath());
    }
    return {};
}

QString MainWindow::aboutText() {
    return tr("<h3>AQLM Studio %1</h3>"
              "<p>Compresses Llama-family models with Additive Quantization (AQLM), compares the results "
              "and chats with them.</p>"
              "<p><b>Engine:</b> %2<br><b>Instruction set of the AQLM kernels:</b> %3<br><b>CUDA:</b> %4</p>")
        .arg(QStringLiteral(AQLM_VERSION), QString::fromStdString(aqlm::engineBuildInfo()).toHtmlEscaped(),
             QString::fromLatin1(aqlm::kernels::isaKernels().name),
             aqlm::cudaAvailable() ? tr("available") : tr("not available (CPU only)"));
}

void MainWindow::showAbout() { QMessageBox::about(this, tr("About AQLM Studio"), aboutText()); }

void MainWindow::offerInterruptedRuns() {
    if (!m_jobRecorder) return;
    // Evaluations after compression cut short by a quit run again without asking.
    if (const int requeued = m_jobRecorder->requeueUnfinishedEvaluations())
        statusBar()->showMessage(tr("Measuring the perplexity of %n compressed model(s) whose evaluation was interrupted",
                                    nullptr, requeued));
    const QList<int> resumed = aqlm::ui::offerInterruptedRuns(*m_jobRecorder, *m_library, this);
    if (resumed.isEmpty()) return;
    m_compressPage->watchJob(resumed.first());
    m_tabs->setCurrentWidget(m_compressPage);
}

void MainWindow::openSettings() {
    SettingsDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted) return;
    const int threads = aqlm::setThreadCount(dialog.threads());
    statusBar()->showMessage(tr("Settings saved; %1 threads. Data folder and language apply after restart.").arg(threads));
}

}  // namespace aqlm::ui
