#pragma once
// Live relative error per epoch of each layer being quantized, on a log axis: one graph per layer,
// named "block N q_proj". Finished layers fade to grey so the running one stands out.
#include "engine/api/quant_types.h"

#include "widgets/plot/qcustomplot_include.h"

#include <QHash>
#include <QPointF>

namespace aqlm::ui {

class EpochErrorPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit EpochErrorPlot(QWidget* parent = nullptr);

    int curveCount() const { return m_graphs.size(); }
    // Points of one layer's curve; 0 when the layer has no curve.
    int pointCount(qint64 block, const QString& layer) const;
    // (epoch, relative error) of point i of one layer's curve.
    QPointF pointAt(qint64 block, const QString& layer, int i) const;
    QString curveName(int index) const;

public Q_SLOTS:
    void addEpoch(const aqlm::EpochReport& report);
    void clear();

private:
    static QString key(qint64 block, const QString& layer);

    QHash<QString, QCPGraph*> m_graphs;
    QCPGraph* m_active = nullptr;
};

}  // namespace aqlm::ui
