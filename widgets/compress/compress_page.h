#pragma once
// The Compress page: settings with presets and a size estimate, Start / Cancel / Resume, the run
// monitor, and the three live plots. Jobs go through a JobController shared with other pages.
#include "widgets/bridge/compression_job.h"

#include <QWidget>

class QGroupBox;
class QPushButton;
class QSpinBox;

namespace aqlm::ui {

class BitEstimateLabel;
class CompressSettingsForm;
class EpochErrorPlot;
class FinetuneLossPlot;
class FinetuneMonitor;
class JobController;
class JobLibraryRecorder;
class LayerErrorBarPlot;
class LibraryService;
class RunMonitor;
class TimeEstimateLabel;

class CompressPage : public QWidget {
    Q_OBJECT
public:
    explicit CompressPage(JobController* jobs, QWidget* parent = nullptr);

    CompressSettingsForm* settingsForm() const { return m_form; }
    BitEstimateLabel* estimateLabel() const { return m_estimate; }
    TimeEstimateLabel* timeEstimateLabel() const { return m_time; }
    RunMonitor* monitor() const { return m_monitor; }
    EpochErrorPlot* epochPlot() const { return m_epochPlot; }
    LayerErrorBarPlot* layerPlot() const { return m_layerPlot; }
    FinetuneLossPlot* finetunePlot() const { return m_finetunePlot; }
    // The optional PV-Tuning stage after compression (a checkable group with the step count) and
    // its live plots, shown while it runs.
    QGroupBox* pvStageBox() const { return m_pvBox; }
    QSpinBox* pvStepsBox() const { return m_pvSteps; }
    FinetuneMonitor* pvMonitor() const { return m_pvMonitor; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* resumeButton() const { return m_resume; }
    int lastJobId() const { return m_lastJob; }

    // Offers the library's models in the model field's menu (null: files only).
    void setLibrary(LibraryService* library);
    // Logs what happens to this page's finished run in the library (variant, perplexity).
    void setJobRecorder(JobLibraryRecorder* recorder);
    // Shows a job this page did not start (a run resumed at start-up) on the plots and monitor.
    void watchJob(int jobId);

Q_SIGNALS:
    void statusMessage(const QString& message);
    // The job this page started finished, failed or was cancelled.
    void runEnded();

public Q_SLOTS:
    void start();
    void cancel();
    void resume();

private:
    QWidget* buildPlots();
    QGroupBox* buildPvStage();
    // The job's second stage from the PV box (disabled: not run).
    FinetuneStage pvStage() const;
    void connectJobs();
    void clearRun();
    void updateButtons();
    bool ownsCurrentJob() const;
    bool runActive() const;  // this page's job is queued or running
    // A new time measurement for the form's settings, or none while a run goes on.
    void requestTimeEstimate();
    // The resumed job's settings in the form (read-only while it runs) and its finished blocks'
    // stored reports on the plots.
    void showResumedJob(int jobId);

    JobController* m_jobs;
    CompressSettingsForm* m_form = nullptr;
    BitEstimateLabel* m_estimate = nullptr;
    TimeEstimateLabel* m_time = nullptr;
    RunMonitor* m_monitor = nullptr;
    EpochErrorPlot* m_epochPlot = nullptr;
    LayerErrorBarPlot* m_layerPlot = nullptr;
    FinetuneLossPlot* m_finetunePlot = nullptr;
    FinetuneMonitor* m_pvMonitor = nullptr;
    QGroupBox* m_pvBox = nullptr;
    QSpinBox* m_pvSteps = nullptr;
    int m_presetShown = -1;  // the preset whose PV default the box shows
    QPushButton* m_start = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_resume = nullptr;
    JobLibraryRecorder* m_recorder = nullptr;
    LibraryService* m_library = nullptr;
    int m_lastJob = 0;  // the job this page started last; its signals drive the plots
};

}  // namespace aqlm::ui
