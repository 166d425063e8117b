#include "widgets/plot/layer_error_bar_plot.h"

#include "widgets/plot/sublayer.h"

#include <cmath>
#include <limits>

namespace aqlm::ui {

namespace {
constexpr double kGroupWidth = kSublayerCount + 2;  // two bar widths between blocks
}

LayerErrorBarPlot::LayerErrorBarPlot(QWidget* parent) : QCustomPlot(parent), m_ticker(new QCPAxisTickerText) {
    xAxis->setTicker(m_ticker);
    xAxis->setLabel(tr("block"));
    yAxis->setLabel(tr("relative error"));
    xAxis->setRange(-1, kGroupWidth);
    yAxis->setRange(0, 0.1);
    for (int i = 0; i < kSublayerCount; ++i) {
        auto* bars = new QCPBars(xAxis, yAxis);
        bars->setName(sublayerLabel(i));
        bars->setWidth(0.9);
        bars->setPen(Qt::NoPen);
        bars->setBrush(sublayerColor(i));
        m_bars[i] = bars;
    }
    legend->setVisible(true);
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setWrap(kSublayerCount);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, tr("Final error per layer"), QFont(font().family(), -1, QFont::Bold)));
    setMinimumHeight(180);
}

double LayerErrorBarPlot::keyFor(qint64 block, int sublayer) { return double(block) * kGroupWidth + sublayer; }

void LayerErrorBarPlot::addLayer(const aqlm::LayerReport& report) {
    const int sub = sublayerIndex(QString::fromStdString(report.layer));
    if (sub < 0) return;  // not a Llama linear: nothing sensible to place it at
    m_bars[sub]->addData(keyFor(report.block, sub), report.relError);
    if (report.block + 1 > m_blocks) {
        for (qint64 b = m_blocks; b <= report.block; ++b)
            m_ticker->addTick(keyFor(b, kSublayerCount / 2), QString::number(b + 1));
        m_blocks = report.block + 1;
        xAxis->setRange(-1, keyFor(m_blocks, 0) - 1);
    }
    // Headroom above the tallest bar keeps the legend (top right) off the bars.
    if (report.relError * 1.35 > yAxis->range().upper) yAxis->setRangeUpper(report.relError * 1.35);
    replot(QCustomPlot::rpQueuedReplot);
}

void LayerErrorBarPlot::clear() {
    for (QCPBars* bars : m_bars) bars->data()->clear();
    m_ticker->clear();
    m_blocks = 0;
    xAxis->setRange(-1, kGroupWidth);
    yAxis->setRange(0, 0.1);
    replot(QCustomPlot::rpQueuedReplot);
}

int LayerErrorBarPlot::barCount() const {
    int n = 0;
    for (const QCPBars* bars : m_bars) n += bars->dataCount();
    return n;
}

double LayerErrorBarPlot::valueAt(qint64 block, int sublayer) const {
    if (sublayer < 0 || sublayer >= kSublayerCount) return std::numeric_limits<double>::quiet_NaN();
    const auto data = m_bars[sublayer]->data();
    const auto it = data->findBegin(keyFor(block, sublayer), false);
    if (it == data->constEnd() || it->key != keyFor(block, sublayer)) return std::numeric_limits<double>::quiet_NaN();
    return it->value;
}

}  // namespace aqlm::ui
