#include "widgets/plot/epoch_error_plot.h"

#include "widgets/plot/sublayer.h"

#include <algorithm>

namespace aqlm::ui {

EpochErrorPlot::EpochErrorPlot(QWidget* parent) : QCustomPlot(parent) {
    xAxis->setLabel(tr("epoch"));
    yAxis->setLabel(tr("relative error"));
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    yAxis->setNumberFormat(QStringLiteral("eb"));
    yAxis->setNumberPrecision(0);
    yAxis->setRange(1e-3, 1);
    xAxis->setRange(0, 5);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, tr("Layer error per epoch"), QFont(font().family(), -1, QFont::Bold)));
    setMinimumHeight(180);
}

QString EpochErrorPlot::key(qint64 block, const QString& layer) { return QString::number(block) + QLatin1Char('/') + layer; }

void EpochErrorPlot::addEpoch(const aqlm::EpochReport& report) {
    const QString layer = QString::fromStdString(report.layer);
    QCPGraph*& graph = m_graphs[key(report.block, layer)];
    if (!graph) {
        if (m_active) m_active->setPen(QPen(QColor(180, 180, 180), 1));
        graph = addGraph();
        graph->setName(tr("block %1 %2").arg(report.block + 1).arg(sublayerShortName(layer)));
        graph->setPen(QPen(sublayerColor(sublayerIndex(layer)), 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
        m_active = graph;
    }
    // A log axis cannot show zero; a perfect fit is drawn at the floor instead of vanishing.
    graph->addData(report.epoch, std::max(report.relError, 1e-9));
    bool found = false;
    const QCPRange keys = graph->getKeyRange(found);
    if (found && keys.upper > xAxis->range().upper) xAxis->setRangeUpper(keys.upper + 1);
    QCPRange values = yAxis->range();
    values.lower = std::min(values.lower, std::max(report.relError, 1e-9) / 2);
    values.upper = std::max(values.upper, report.relError * 2);
    yAxis->setRange(values);
    replot(QCustomPlot::rpQueuedReplot);
}

void EpochErrorPlot::clear() {
    clearGraphs();
    m_graphs.clear();
    m_active = nullptr;
    yAxis->setRange(1e-3, 1);
    xAxis->setRange(0, 5);
    replot(QCustomPlot::rpQueuedReplot);
}

int EpochErrorPlot::pointCount(qint64 block, const QString& layer) const {
    const QCPGraph* graph = m_graphs.value(key(block, layer));
    return graph ? graph->dataCount() : 0;
}

QPointF EpochErrorPlot::pointAt(qint64 block, const QString& layer, int i) const {
    const QCPGraph* graph = m_graphs.value(key(block, layer));
    if (!graph || i < 0 || i >= graph->dataCount()) return {};
    const auto it = graph->data()->at(i);
    return {it->key, it->value};
}

QString EpochErrorPlot::curveName(int index) const {
    return index >= 0 && index < graphCount() ? graph(index)->name() : QString();
}

}  // namespace aqlm::ui
