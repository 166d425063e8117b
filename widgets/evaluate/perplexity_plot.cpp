#include "widgets/evaluate/perplexity_plot.h"

#include <algorithm>

namespace aqlm::ui {
namespace {
const QColor kColours[] = {QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c), QColor(0xd62728),
                           QColor(0x9467bd), QColor(0x8c564b), QColor(0xe377c2), QColor(0x17becf)};
}

PerplexityPlot::PerplexityPlot(QWidget* parent) : QCustomPlot(parent) {
    xAxis->setLabel(tr("windows scored"));
    yAxis->setLabel(tr("running perplexity"));
    xAxis->setRange(0, 5);
    yAxis->setRange(0, 10);
    legend->setVisible(true);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, tr("Perplexity while evaluating"), QFont(font().family(), -1, QFont::Bold)));
    setMinimumHeight(200);
}

QString PerplexityPlot::curveName(int curve) const {
    return curve >= 0 && curve < graphCount() ? graph(curve)->name() : QString();
}

int PerplexityPlot::pointCount(int curve) const {
    return curve >= 0 && curve < graphCount() ? graph(curve)->dataCount() : 0;
}

QPointF PerplexityPlot::pointAt(int curve, int i) const {
    if (i < 0 || i >= pointCount(curve)) return {};
    const auto it = graph(curve)->data()->at(i);
    return {it->key, it->value};
}

void PerplexityPlot::startCurve(const QString& name) {
    QCPGraph* g = addGraph();
    const QColor colour = kColours[(graphCount() - 1) % int(std::size(kColours))];
    g->setName(name);
    g->setPen(QPen(colour, 2));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    replot(QCustomPlot::rpQueuedReplot);
}

void PerplexityPlot::addPoint(qint64 windows, double perplexity) {
    if (graphCount() == 0) startCurve(QString());
    QCPGraph* g = graph(graphCount() - 1);
    g->data()->remove(double(windows));  // the final report repeats the last progress point
    g->addData(double(windows), perplexity);
    fitRanges();
    replot(QCustomPlot::rpQueuedReplot);
}

void PerplexityPlot::clear() {
    clearGraphs();
    xAxis->setRange(0, 5);
    yAxis->setRange(0, 10);
    replot(QCustomPlot::rpQueuedReplot);
}

void PerplexityPlot::fitRanges() {
    double xHigh = 1, yLow = 0, yHigh = 0;
    bool any = false;
    for (int i = 0; i < graphCount(); ++i) {
        bool found = false;
        const QCPRange keys = graph(i)->getKeyRange(found);
        if (!found) continue;
        const QCPRange values = graph(i)->getValueRange(found);
        xHigh = std::max(xHigh, keys.upper);
        yLow = any ? std::min(yLow, values.lower) : values.lower;
        yHigh = any ? std::max(yHigh, values.upper) : values.upper;
        any = true;
    }
    if (!any) return;
    const double pad = std::max((yHigh - yLow) * 0.15, 0.05 * yHigh + 1e-6);
    xAxis->setRange(0, xHigh * 1.05 + 0.5);
    yAxis->setRange(std::max(0.0, yLow - pad), yHigh + 2 * pad);  // headroom for the legend
}

}  // namespace aqlm::ui
