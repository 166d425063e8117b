#include "widgets/plot/stored_run_replay.h"

#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/run_monitor.h"

#include <QString>

#include <algorithm>
#include <set>

namespace aqlm::ui {

qint64 replayStoredRun(const aqlm::ModelLibrary& db, qint64 runId, const RunPlotTargets& t, bool finishedBlocksOnly) {
    const std::optional<aqlm::RunRecord> run = db.findRun(runId);
    if (!run) return 0;
    const auto base = db.findModel(run->baseModelId);
    const std::vector<aqlm::BlockReportRecord> blocks = db.listBlockReports(runId);
    std::set<qint64> finished;
    for (const aqlm::BlockReportRecord& b : blocks) finished.insert(b.block);
    const auto shown = [&](qint64 block) { return !finishedBlocksOnly || finished.count(block) > 0; };

    if (t.epochs)
        for (const aqlm::EpochReportRecord& e : db.listEpochReports(runId)) {
            if (!shown(e.block)) continue;
            aqlm::EpochReport r;
            r.block = e.block;
            r.layer = e.layer;
            r.epoch = int(e.epoch);
            r.relError = e.relError;
            t.epochs->addEpoch(r);
        }
    if (t.finetune)
        for (const aqlm::FinetuneReportRecord& f : db.listFinetuneReports(runId))
            if (shown(f.block)) t.finetune->addEpoch(f.block, int(f.epoch), f.trainLoss, f.validationLoss);

    // A block's line (time, perplexity) follows its layers in the log, as it did during the run.
    qint64 numBlocks = base ? base->layers : 0;
    if (!blocks.empty()) numBlocks = std::max<qint64>(numBlocks, blocks.back().block + 1);
    auto nextBlock = blocks.begin();
    const auto logBlocksUpTo = [&](qint64 block) {
        for (; nextBlock != blocks.end() && nextBlock->block <= block; ++nextBlock)
            if (t.monitor)
                t.monitor->onBlockDone(nextBlock->block, numBlocks, nextBlock->seconds, nextBlock->perplexity.value_or(0));
    };
    if (t.monitor) t.monitor->beginReplay();
    std::vector<aqlm::LayerReportRecord> layers = db.listLayerReports(runId);
    layers.erase(std::remove_if(layers.begin(), layers.end(), [&](const aqlm::LayerReportRecord& l) { return !shown(l.block); }),
                 layers.end());
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
        if (t.monitor) {
            t.monitor->onLayerStarted(r.block, QString::fromStdString(r.layer), index++, qint64(layers.size()));
            t.monitor->onLayerReported(r);
        }
        if (t.layers) t.layers->addLayer(r);
    }
    logBlocksUpTo(numBlocks);
    if (t.monitor) t.monitor->endReplay();
    return qint64(finished.size());
}

}  // namespace aqlm::ui
