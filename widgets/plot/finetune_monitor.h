#pragma once
// The live view of a whole-model fine-tuning run (PV-Tuning or global KD): progress with the
// step count and an ETA, and three plots: KD loss per step, validation perplexity per evaluation
// and (PV mode) the fraction of code groups changed per step. Shared by the Library's fine-tune
// dialog and the Compress page's PV-Tuning stage.
#include "widgets/plot/qcustomplot_include.h"

#include "engine/api/finetune_types.h"

#include <QWidget>

class QLabel;
class QProgressBar;

namespace aqlm::ui {

class FinetuneMonitor : public QWidget {
    Q_OBJECT
public:
    explicit FinetuneMonitor(QWidget* parent = nullptr);

    QCustomPlot* lossPlot() const { return m_loss; }
    QCustomPlot* perplexityPlot() const { return m_ppl; }
    QCustomPlot* codesPlot() const { return m_codes; }
    QProgressBar* progressBar() const { return m_progress; }
    QString statusText() const;
    int stepCount() const;        // points on the loss plot
    int evaluationCount() const;  // points on the perplexity plot

public Q_SLOTS:
    // A new run of totalSteps steps (clears the plots). The codes plot is shown in PV mode only.
    void start(qint64 totalSteps, aqlm::FinetuneMode mode);
    void addStep(const aqlm::FinetuneStepReport& report);
    void addEvaluation(const aqlm::FinetuneEvalReport& report);
    void showFinished(const aqlm::FinetuneSummary& summary);
    // Cancelled or failed: the text says which, and what can be done.
    void showStopped(const QString& text);

private:
    QCustomPlot* makePlot(const QString& title, const QString& yLabel, const QColor& color);
    void setStatus(const QString& text);

    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QCustomPlot* m_loss = nullptr;
    QCustomPlot* m_ppl = nullptr;
    QCustomPlot* m_codes = nullptr;
    qint64 m_totalSteps = 0;
    qint64 m_firstStep = 0;  // of this session (a resumed run starts past 1)
};

}  // namespace aqlm::ui
