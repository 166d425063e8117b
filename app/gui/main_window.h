#pragma once
// The top-level window: one tab per page, a status bar for short messages. Owns the model library
// connection and the JobController so every page shares one library, one engine thread and one
// job queue.
#include <QMainWindow>

class QTabWidget;

namespace aqlm::ui {

class ChatPage;
class ComparePage;
class CompressPage;
class EvaluatePage;
class JobController;
class JobLibraryRecorder;
class LibraryPage;
class LibraryService;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // library may be null when the library could not be opened (the pages then work without it).
    explicit MainWindow(LibraryService* library, QWidget* parent = nullptr);

    CompressPage* compressPage() const { return m_compressPage; }
    LibraryPage* libraryPage() const { return m_libraryPage; }          // null without a library
    JobLibraryRecorder* jobRecorder() const { return m_jobRecorder; }  // null without a library
    EvaluatePage* evaluatePage() const { return m_evaluatePage; }
    ComparePage* comparePage() const { return m_comparePage; }
    ChatPage* chatPage() const { return m_chatPage; }
    LibraryService* library() const { return m_library; }
    JobController* jobs() const { return m_jobs; }
    QTabWidget* tabs() const { return m_tabs; }

public Q_SLOTS:
    void openSettings();  // applies the thread count at once; the rest after restart
    // Offers compressions interrupted by a crash or quit for resume (call once the window shows).
    void offerInterruptedRuns();
    void showAbout();

public:
    // What Help > About says: version and engine (LibTorch, threads, instruction set, CUDA).
    static QString aboutText();
    // The documentation installed with the package (README.md under share/doc), or empty.
    static QString documentationPath();

private:
    void buildMenus();

    LibraryService* m_library = nullptr;
    JobController* m_jobs = nullptr;
    QTabWidget* m_tabs = nullptr;
    CompressPage* m_compressPage = nullptr;
    LibraryPage* m_libraryPage = nullptr;
    JobLibraryRecorder* m_jobRecorder = nullptr;
    EvaluatePage* m_evaluatePage = nullptr;
    ComparePage* m_comparePage = nullptr;
    ChatPage* m_chatPage = nullptr;
};

}  // namespace aqlm::ui
