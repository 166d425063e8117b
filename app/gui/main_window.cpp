#include "app/gui/main_window.h"

#include "widgets/bridge/job_controller.h"
#include "widgets/compress/compress_page.h"
#include "widgets/library/library_service.h"

#include <QStatusBar>
#include <QTabWidget>

namespace aqlm::ui {

MainWindow::MainWindow(LibraryService* library, QWidget* parent) : QMainWindow(parent), m_library(library) {
    setWindowTitle(tr("AQLM Studio"));
    m_jobs = new JobController(this);
    m_tabs = new QTabWidget(this);
    m_compressPage = new CompressPage(m_jobs);
    m_tabs->addTab(m_compressPage, tr("Compress"));
    setCentralWidget(m_tabs);
    connect(m_compressPage, &CompressPage::statusMessage, this, [this](const QString& message) {
        statusBar()->showMessage(message);
    });
    statusBar()->showMessage(tr("Ready"));
    resize(1360, 860);
}

}  // namespace aqlm::ui
