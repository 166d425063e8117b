#pragma once
// A run's stored reports (epochs, layers, fine-tuning, blocks) replayed onto the run plots and a
// RunMonitor, without the engine: the Library's "Show run plots" window, and the Compress page when
// a run resumes (the finished blocks' curves come back before the run reports the rest).
#include "engine/library/model_library.h"

#include <QtGlobal>

namespace aqlm::ui {

class EpochErrorPlot;
class FinetuneLossPlot;
class LayerErrorBarPlot;
class RunMonitor;

struct RunPlotTargets {
    EpochErrorPlot* epochs = nullptr;
    LayerErrorBarPlot* layers = nullptr;
    FinetuneLossPlot* finetune = nullptr;
    RunMonitor* monitor = nullptr;
};

// Replays the reports of runId; with finishedBlocksOnly, only those of the blocks the run finished
// (a block report was stored), so a resumed run's redone block is not drawn twice.
// Returns the number of finished blocks (block reports) of the run.
qint64 replayStoredRun(const aqlm::ModelLibrary& db, qint64 runId, const RunPlotTargets& targets,
                       bool finishedBlocksOnly = false);

}  // namespace aqlm::ui
