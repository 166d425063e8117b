#pragma once
// The Evaluate page: perplexity of one or more library models on a text file (the protocol of
// docs EVALUATION.md), one model after another on the page's own engine thread (so it never waits
// behind a compression), with a running perplexity plot, progress and cancel; every result is
// stored in the library with the dataset's sha256. "Measure speed" stores decode tokens/s.
#include <QString>
#include <QWidget>

#include <deque>

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QThread;

namespace aqlm {
struct EvalReport;
struct SpeedReport;
}

namespace aqlm::ui {

class EngineWorker;
class LibraryService;
class PerplexityPlot;
class SpeedWorker;

class EvaluatePage : public QWidget {
    Q_OBJECT
public:
    // library may be null (the library failed to open): the page then only says so.
    explicit EvaluatePage(LibraryService* library, QWidget* parent = nullptr);
    ~EvaluatePage() override;

    // The evaluation text of docs EVALUATION.md under AQLM_SHARED or ../shared, if present.
    static QString defaultDataPath();

    QListWidget* modelList() const { return m_models; }
    void setModelChecked(qint64 modelId, bool checked);
    QString dataPath() const;
    void setDataPath(const QString& path);
    QSpinBox* seqLenSpin() const { return m_seqLen; }
    QSpinBox* maxWindowsSpin() const { return m_maxWindows; }
    PerplexityPlot* plot() const { return m_plot; }
    QTableWidget* resultsTable() const { return m_results; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* messageLabel() const { return m_message; }
    // Shown instead of an empty model list: where models come from.
    QLabel* emptyHint() const { return m_emptyHint; }
    QLabel* memoryLabel() const { return m_memory; }
    EngineWorker* worker() const { return m_worker; }
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void statusMessage(const QString& message);
    void runFinished();  // the queue started by run() or measureSpeed() is done, cancelled or failed

public Q_SLOTS:
    void run();
    void measureSpeed();
    void cancel();
    void refresh();  // re-reads the model list, keeping the checked models

private:
    void updateMemoryEstimate();
    struct Job {
        qint64 modelId = 0;
        QString name;
        QString modelPath;
        bool speed = false;
    };
    std::deque<Job> checkedJobs(bool speed);
    void startQueue(std::deque<Job> jobs);
    void startNext();
    void endQueue(const QString& message);
    void showError(const QString& message);
    void onEvalProgress(const aqlm::EvalReport& report);
    void onEvalFinished(const aqlm::EvalReport& report);
    void onSpeedMeasured(const aqlm::SpeedReport& report);
    void onJobFailed(const QString& message);
    void addResultRow(const QString& model, const QString& what, const QString& value, const QString& details);
    void updateButtons();

    LibraryService* m_library;
    QListWidget* m_models = nullptr;
    QLineEdit* m_dataPath = nullptr;
    QSpinBox* m_seqLen = nullptr;
    QSpinBox* m_maxWindows = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_speed = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_message = nullptr;
    QLabel* m_emptyHint = nullptr;
    QLabel* m_memory = nullptr;  // the largest checked model's estimate next to the available memory
    PerplexityPlot* m_plot = nullptr;
    QTableWidget* m_results = nullptr;

    QThread* m_thread = nullptr;
    EngineWorker* m_worker = nullptr;
    SpeedWorker* m_speedWorker = nullptr;

    std::deque<Job> m_queue;
    Job m_current;
    bool m_running = false;
    int m_total = 0, m_done = 0;
    QStringList m_errors;
    // The dataset of the running queue, fixed when it starts.
    QString m_runDataPath, m_runDataSha256;
    qint64 m_runSeqLen = 0, m_runMaxWindows = 0;
};

}  // namespace aqlm::ui
