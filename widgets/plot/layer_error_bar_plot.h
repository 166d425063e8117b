#pragma once
// Final relative error of every quantized layer over the whole model: bars grouped by block,
// one colour per sublayer (q, k, v, o, gate, up, down) with a legend, filled in as layers finish.
#include "engine/api/quant_types.h"

#include "widgets/plot/qcustomplot_include.h"

#include <array>

namespace aqlm::ui {

class LayerErrorBarPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit LayerErrorBarPlot(QWidget* parent = nullptr);

    int barCount() const;                          // layers plotted so far
    // Relative error plotted for one layer, or NaN when it has no bar.
    double valueAt(qint64 block, int sublayer) const;
    // x position of a layer's bar: groups of 7 with a gap between blocks.
    static double keyFor(qint64 block, int sublayer);

public Q_SLOTS:
    void addLayer(const aqlm::LayerReport& report);
    void clear();

private:
    std::array<QCPBars*, 7> m_bars{};
    QSharedPointer<QCPAxisTickerText> m_ticker;
    qint64 m_blocks = 0;
};

}  // namespace aqlm::ui
