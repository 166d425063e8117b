#include "widgets/library/run_plots_view.h"

#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/run_monitor.h"

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

    for (const aqlm::EpochReportRecord& e : db.listEpochReports(runId)) {
        aqlm::EpochReport r;
        r.block = e.block;
        r.layer = e.layer;
        r.epoch = int(e.epoch);
        r.relError = e.relError;
        m_epochPlot->addEpoch(r);
    }
    const std::vector<aqlm::FinetuneReportRecord> finetune = db.listFinetuneReports(runId);
    for (const aqlm::FinetuneReportRecord& f : finetune)
        m_finetunePlot->addEpoch(f.block, int(f.epoch), f.trainLoss, f.validationLoss);
    m_finetunePlot->setVisible(!finetune.empty());  // runs without fine-tuning (GPTQ, RTN) have none

    // A block's line (time, perplexity) follows its layers in the log, as it did during the run.
    const std::vector<aqlm::BlockReportRecord> blocks = db.listBlockReports(runId);
    qint64 numBlocks = base ? base->layers : 0;
    if (!blocks.empty()) numBlocks = std::max<qint64>(numBlocks, blocks.back().block + 1);
    auto nextBlock = blocks.begin();
    const auto logBlocksUpTo = [&](qint64 block) {
        for (; nextBlock != blocks.end() && nextBlock->block <= block; ++nextBlock)
            m_monitor->onBlockDone(nextBlock->block, numBlocks, nextBlock->seconds, nextBlock->perplexity.value_or(0));
    };
    const std::vector<aqlm::LayerReportRecord> layers = db.listLayerReports(runId);
    qint64 index = 0;
    for (const aqlm::LayerReportRecord& l : layers) {
        logBlocksUpTo(l.block - 1);
        aqlm::LayerReport r;
        r.block = l.block;
        r.layer = l.layer;
        r.name = l.name;
        r.dOut = l.dOut;
        r.dIn = l.dIn;
        r.relError = l.relError;
        r.bits = l.bits;
        r.seconds = l.seconds;
        r.epochs = int(l.epochs);
        m_monitor->onLayerStarted(r.block, QString::fromStdString(r.layer), index++, qint64(layers.size()));
        m_monitor->onLayerReported(r);
        m_layerPlot->addLayer(r);
    }
    logBlocksUpTo(numBlocks);

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
