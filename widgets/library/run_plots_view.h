#pragma once
// A finished (or cancelled, or failed) run re-plotted from the library: the stored epoch, layer and
// fine-tuning reports refill the Compress page's plots, and the layer and block reports (time,
// per-block perplexity) its RunMonitor log, without the engine.
#include "engine/library/model_library.h"

#include <QWidget>

namespace aqlm::ui {

class EpochErrorPlot;
class FinetuneLossPlot;
class LayerErrorBarPlot;
class RunMonitor;

class RunPlotsView : public QWidget {
    Q_OBJECT
public:
    explicit RunPlotsView(QWidget* parent = nullptr);

    // Returns false (and shows nothing) when the run is not in the library.
    bool showRun(const aqlm::ModelLibrary& db, qint64 runId);

    EpochErrorPlot* epochPlot() const { return m_epochPlot; }
    LayerErrorBarPlot* layerPlot() const { return m_layerPlot; }
    FinetuneLossPlot* finetunePlot() const { return m_finetunePlot; }
    RunMonitor* monitor() const { return m_monitor; }

private:
    EpochErrorPlot* m_epochPlot = nullptr;
    LayerErrorBarPlot* m_layerPlot = nullptr;
    FinetuneLossPlot* m_finetunePlot = nullptr;
    RunMonitor* m_monitor = nullptr;
};

}  // namespace aqlm::ui
