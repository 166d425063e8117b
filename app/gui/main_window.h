#pragma once
// The top-level window: one tab per page, a status bar for short messages. Owns the model library
// connection and the JobController so every page shares one library, one engine thread and one
// job queue.
#include <QMainWindow>

class QTabWidget;

namespace aqlm::ui {

class CompressPage;
class JobController;
class LibraryService;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // library may be null when the library could not be opened (the pages then work without it).
    explicit MainWindow(LibraryService* library, QWidget* parent = nullptr);

    CompressPage* compressPage() const { return m_compressPage; }
    LibraryService* library() const { return m_library; }
    JobController* jobs() const { return m_jobs; }
    QTabWidget* tabs() const { return m_tabs; }

private:
    LibraryService* m_library = nullptr;
    JobController* m_jobs = nullptr;
    QTabWidget* m_tabs = nullptr;
    CompressPage* m_compressPage = nullptr;
};

}  // namespace aqlm::ui
