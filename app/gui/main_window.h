#pragma once
// The top-level window: one tab per page, a status bar for short messages. Owns the JobController
// so every page shares one engine thread and one job queue.
#include <QMainWindow>

class QTabWidget;

namespace aqlm::ui {

class CompressPage;
class JobController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    CompressPage* compressPage() const { return m_compressPage; }

private:
    JobController* m_jobs = nullptr;
    QTabWidget* m_tabs = nullptr;
    CompressPage* m_compressPage = nullptr;
};

}  // namespace aqlm::ui
