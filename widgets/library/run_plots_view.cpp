#include "widgets/library/run_plots_view.h"

#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/run_monitor.h"
#include "widgets/plot/stored_run_replay.h"

#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace aqlm::ui {

RunPlotsView::RunPlotsView(QWidget* parent) : QWidget(parent) {
    m_epochPlot = new EpochErrorPlot;
    m_layerPlot = new LayerErrorBarPlot;
    m_finetunePlot = new FinetuneLossPlot;
    m_monitor = new RunMonitor;
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_epochPlot);
    split->addWidget(m_layerPlot);
    split->addWidget(m_finetunePlot);
    split->addWidget(m_monitor);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 2);
    split->setStretchFactor(3, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
}

bool RunPlotsView::showRun(const aqlm::ModelLibrary& db, qint64 runId) {
    const std::optional<aqlm::RunRecord> run = db.findRun(runId);
    if (!run) return false;
    m_epochPlot->clear();
    m_layerPlot->clear();
    m_finetunePlot->clear();
    m_monitor->reset();
    const auto base = db.findModel(run->baseModelId);
    m_monitor->appendLog(tr("run %1 (%2) of %3 into %4")
                             .arg(runId)
                             .arg(QString::fromStdString(run->method),
                                  base ? QString::fromStdString(base->name) : QString(),
                                  QString::fromStdString(run->outputPath)));

    replayStoredRun(db, runId, {m_epochPlot, m_layerPlot, m_finetunePlot, m_monitor});
    m_finetunePlot->setVisible(!db.listFinetuneReports(runId).empty());  // GPTQ, RTN: no fine-tuning

    switch (run->status) {
    case aqlm::RunStatus::Complete: {
        aqlm::CompressionSummary s;
        s.seconds = run->seconds;
        s.peakMb = run->peakMb;
        if (run->variantModelId) {
            if (const auto v = db.findVariantOf(*run->variantModelId)) {
                s.avgBits = v->avgBits;
                s.modelBits = v->modelBits;
            }
            if (const auto m = db.findModel(*run->variantModelId)) s.bytes = m->bytesOnDisk;
        }
        m_monitor->onFinished(s);
        break;
    }
    case aqlm::RunStatus::Failed: m_monitor->onFailed(QString::fromStdString(run->error)); break;
    case aqlm::RunStatus::Cancelled: m_monitor->onCancelled(); break;
    default: m_monitor->appendLog(tr("status: %1").arg(QString::fromLatin1(aqlm::runStatusName(run->status))));
    }
    return true;
}

}  // namespace aqlm::ui
