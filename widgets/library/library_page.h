#pragma once
// The Library page: every model the user has, variants grouped under their base model, a filter
// box, a details pane, and Import file / Import folder / Delete / Reveal / Show run plots /
// Compress. Imports run on a worker thread (ModelImporter); a model that fails validation shows
// the engine's message and writes nothing.
#include <QMessageBox>
#include <QWidget>

#include <functional>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTextBrowser;
class QTreeView;

namespace aqlm::ui {

class FinetuneDialog;
class JobController;
class JobLibraryRecorder;
class LibraryService;
class LibraryTreeModel;
class ModelImporter;
class RunPlotsView;
struct ScanSummary;

class LibraryPage : public QWidget {
    Q_OBJECT
public:
    // library must outlive the page and not be null.
    explicit LibraryPage(LibraryService* library, QWidget* parent = nullptr);

    // Tests answer dialogs through these instead of a QMessageBox.
    using MessageHook = std::function<void(QMessageBox::Icon icon, const QString& title, const QString& text)>;
    using DeleteQuestion = std::function<bool(const QString& question, bool* deleteFiles)>;
    void setMessageHook(MessageHook hook) { m_messageHook = std::move(hook); }
    void setDeleteQuestion(DeleteQuestion ask) { m_deleteQuestion = std::move(ask); }

    LibraryTreeModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTreeView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }
    QTextBrowser* details() const { return m_details; }
    ModelImporter* importer() const { return m_importer; }

    // The first-start panel shown while the library is empty: what the app does, how to import a
    // model, the bundled example when one is installed, where models come from.
    QWidget* welcomePanel() const { return m_welcome; }
    bool isShowingWelcome() const;
    QPushButton* exampleButton() const { return m_example; }
    // The example model installed with the app (stories260K), or empty when there is none.
    static QString bundledExample();

    // Enables "Fine-tune…" on compressed variants (runs go through these; null: no fine-tuning).
    void setJobs(JobController* jobs, JobLibraryRecorder* recorder);
    QAction* finetuneAction() const { return m_finetune; }
    // The dialog opened last by "Fine-tune…" (null before).
    FinetuneDialog* finetuneDialog() const { return m_finetuneDialog; }

    qint64 selectedModelId() const;
    bool selectModel(qint64 modelId);

public Q_SLOTS:
    void importFile(const QString& path);
    void importFolder(const QString& folder);
    // Asks (with an "also delete the files" choice) and deletes; returns whether it deleted.
    bool deleteModel(qint64 modelId);
    void revealModel(qint64 modelId);
    // Opens a window with the run's stored reports plotted; null when the run is unknown.
    RunPlotsView* showRunPlots(qint64 runId);
    // Opens the fine-tuning dialog for a compressed variant; null when it is none (or no jobs).
    FinetuneDialog* showFinetune(qint64 modelId);

Q_SIGNALS:
    void statusMessage(const QString& message);
    void compressRequested(const QString& modelPath);

private:
    void buildActions();
    void chooseAndImportFile();
    void chooseAndImportFolder();
    void showPlotsOfSelected();
    void fitColumns();
    void updateDetails();
    void updateActions();
    QWidget* buildWelcome();
    void updateEmptyState();
    void reportScan(const ScanSummary& summary);
    void message(QMessageBox::Icon icon, const QString& title, const QString& text);

    LibraryService* m_library;
    LibraryTreeModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTreeView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    QTextBrowser* m_details = nullptr;
    QLabel* m_busy = nullptr;
    QWidget* m_welcome = nullptr;
    QPushButton* m_example = nullptr;
    QStackedWidget* m_stack = nullptr;
    QWidget* m_split = nullptr;
    ModelImporter* m_importer = nullptr;
    QAction* m_importFile = nullptr;
    QAction* m_importFolder = nullptr;
    QAction* m_delete = nullptr;
    QAction* m_reveal = nullptr;
    QAction* m_plots = nullptr;
    QAction* m_compress = nullptr;
    QAction* m_finetune = nullptr;
    JobController* m_jobs = nullptr;
    JobLibraryRecorder* m_recorder = nullptr;
    FinetuneDialog* m_finetuneDialog = nullptr;
    qint64 m_selectedBeforeReset = 0;
    MessageHook m_messageHook;
    DeleteQuestion m_deleteQuestion;
};

}  // namespace aqlm::ui
