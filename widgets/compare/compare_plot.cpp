#include "widgets/compare/compare_plot.h"

#include <QMouseEvent>
#include <QToolTip>

#include <QSvgGenerator>

#include <algorithm>

namespace aqlm::ui {
namespace {

struct MethodStyle {
    QString legend;
    QColor colour;
    QCPScatterStyle::ScatterShape shape;
};

MethodStyle styleOf(const QString& method) {
    if (method == QLatin1String("aqlm")) return {QStringLiteral("AQLM"), QColor(0x1f77b4), QCPScatterStyle::ssDisc};
    if (method == QLatin1String("gptq")) return {QStringLiteral("GPTQ"), QColor(0xff7f0e), QCPScatterStyle::ssTriangle};
    if (method == QLatin1String("rtn")) return {QStringLiteral("RTN"), QColor(0x2ca02c), QCPScatterStyle::ssSquare};
    return {ComparePlot::tr("other"), QColor(0x7f7f7f), QCPScatterStyle::ssDiamond};
}

QString methodKey(const QString& method) {
    const QString m = method.toLower();
    return m == QLatin1String("aqlm") || m == QLatin1String("gptq") || m == QLatin1String("rtn") ? m
                                                                                                 : QStringLiteral("other");
}

}  // namespace

QString axisTitle(CompareAxis axis) {
    switch (axis) {
    case CompareAxis::BitsPerParam: return ComparePlot::tr("bits per parameter (quantized layers)");
    case CompareAxis::ModelBitsPerParam: return ComparePlot::tr("bits per parameter (whole model)");
    case CompareAxis::SizeMb: return ComparePlot::tr("size on disk (MB)");
    case CompareAxis::DecodeTokensPerSecond: return ComparePlot::tr("decode tokens/s");
    }
    return {};
}

ComparePlot::ComparePlot(QWidget* parent) : QCustomPlot(parent) {
    yAxis->setLabel(tr("perplexity"));
    xAxis->setLabel(axisTitle(CompareAxis::BitsPerParam));
    legend->setVisible(true);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, tr("Perplexity against cost"), QFont(font().family(), -1, QFont::Bold)));
    setMinimumHeight(260);
}

QCPGraph* ComparePlot::graphFor(const QString& method) {
    const QString key = methodKey(method);
    auto it = m_methodGraphs.find(key);
    if (it != m_methodGraphs.end()) return it->second;
    const MethodStyle style = styleOf(key);
    QCPGraph* g = addGraph();
    g->setName(style.legend);
    g->setLineStyle(QCPGraph::lsNone);
    g->setPen(QPen(style.colour));
    g->setScatterStyle(QCPScatterStyle(style.shape, style.colour, style.colour, 9));
    m_methodGraphs[key] = g;
    return g;
}

QCPGraph* ComparePlot::methodGraph(const QString& method) const {
    auto it = m_methodGraphs.find(methodKey(method));
    return it == m_methodGraphs.end() ? nullptr : it->second;
}

QList<QCPGraph*> ComparePlot::methodGraphs() const {
    QList<QCPGraph*> graphs;
    for (const auto& [key, g] : m_methodGraphs) graphs.append(g);
    return graphs;
}

void ComparePlot::setComparison(const Comparison& comparison, CompareAxis axis) {
    clearGraphs();
    clearItems();
    m_methodGraphs.clear();
    m_labels.clear();
    m_lineage.clear();
    m_front = nullptr;
    m_reference = nullptr;
    xAxis->setLabel(axisTitle(axis));

    const std::vector<PlotPoint> points = plotPoints(comparison, axis);
    const std::vector<QString> labels = variantLabels(comparison);
    m_tips.clear();
    std::vector<QPointF> positions;
    for (const auto& p : points) {
        const CompareEntry& e = comparison.variants[p.variant];
        graphFor(e.method)->addData(p.position.x(), p.position.y());
        positions.push_back(p.position);
        auto* label = new QCPItemText(this);
        label->position->setCoords(p.position);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setPadding(QMargins(6, 0, 0, 4));
        label->setText(labels[p.variant]);
        m_tips.push_back({p.position, pointToolTip(e)});
        label->setFont(QFont(font().family(), 8));
        m_labels.push_back(label);
    }

    // Lineage: an arrow from the parent's point to each variant fine-tuned from it.
    for (const auto& child : points) {
        const CompareEntry& e = comparison.variants[child.variant];
        if (!e.parentModelId) continue;
        for (const auto& parent : points) {
            if (comparison.variants[parent.variant].modelId != e.parentModelId) continue;
            auto* arrow = new QCPItemLine(this);
            arrow->start->setCoords(parent.position);
            arrow->end->setCoords(child.position);
            arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 8, 10));
            arrow->setPen(QPen(QColor(0x7f7f7f), 1.2));
            m_lineage.push_back(arrow);
        }
    }

    // The front as a staircase: with "lower x is better" each front point holds its perplexity until
    // the next, cheaper-in-perplexity point; with tokens/s the step comes first.
    m_front = addGraph();
    m_front->setName(tr("Pareto front"));
    m_front->setPen(QPen(QColor(0xd62728), 1.5, Qt::DashLine));
    m_front->setLineStyle(higherIsBetter(axis) ? QCPGraph::lsStepRight : QCPGraph::lsStepLeft);
    m_front->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(0xd62728), 1.5), Qt::NoBrush, 15));
    for (size_t i : paretoFront(positions, higherIsBetter(axis))) m_front->addData(positions[i].x(), positions[i].y());

    double xLow = 0, xHigh = 1, yLow = 0, yHigh = 1;
    bool any = false;
    auto include = [&](double x, double y) {
        if (!any) {
            xLow = xHigh = x;
            yLow = yHigh = y;
            any = true;
        }
        xLow = std::min(xLow, x), xHigh = std::max(xHigh, x), yLow = std::min(yLow, y), yHigh = std::max(yHigh, y);
    };
    for (const auto& p : positions) include(p.x(), p.y());

    if (comparison.original.perplexity) {
        const double ppl = *comparison.original.perplexity;
        m_reference = new QCPItemStraightLine(this);
        m_reference->setPen(QPen(QColor(0x555555), 1.2, Qt::DashDotLine));
        m_reference->point1->setCoords(0, ppl);
        m_reference->point2->setCoords(1, ppl);
        auto* label = new QCPItemText(this);
        label->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        label->position->setTypeY(QCPItemPosition::ptPlotCoords);
        label->position->setCoords(0.01, ppl);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setText(tr("original %1: PPL %2").arg(comparison.original.name).arg(ppl, 0, 'f', 3));
        label->setColor(QColor(0x555555));
        if (any) yLow = std::min(yLow, ppl), yHigh = std::max(yHigh, ppl);
        else yLow = yHigh = ppl;
    }
    const double dx = std::max((xHigh - xLow) * 0.12, any ? std::max(0.05 * std::abs(xHigh), 0.1) : 0.5);
    const double dy = std::max((yHigh - yLow) * 0.12, std::max(0.02 * std::abs(yHigh), 0.05));
    xAxis->setRange(xLow - dx, xHigh + dx);
    yAxis->setRange(yLow - dy, yHigh + 2 * dy);  // headroom for the labels
    replot();
}

QString ComparePlot::toolTipAt(const QPointF& pixel) const {
    // The nearest point within a marker's reach, in pixels.
    constexpr double kReach = 10;
    QString best;
    double bestDistance = kReach * kReach;
    for (const auto& [position, tip] : m_tips) {
        const double dx = xAxis->coordToPixel(position.x()) - pixel.x();
        const double dy = yAxis->coordToPixel(position.y()) - pixel.y();
        if (dx * dx + dy * dy <= bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = tip;
        }
    }
    return best;
}

QPointF ComparePlot::pixelOfPoint(int index) const {
    if (index < 0 || index >= int(m_tips.size())) return {};
    const QPointF p = m_tips[size_t(index)].first;
    return {xAxis->coordToPixel(p.x()), yAxis->coordToPixel(p.y())};
}

QString ComparePlot::labelText(int index) const {
    return index >= 0 && index < int(m_labels.size()) ? m_labels[size_t(index)]->text() : QString();
}

void ComparePlot::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    const QString tip = toolTipAt(event->position());
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

bool ComparePlot::exportPng(const QString& path, int width, int height) { return savePng(path, width, height); }

bool ComparePlot::exportSvg(const QString& path, int width, int height) {
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(QSize(width, height));
    generator.setViewBox(QRect(0, 0, width, height));
    generator.setTitle(tr("AQLM Studio comparison"));
    QCPPainter painter;
    if (!painter.begin(&generator)) return false;
    toPainter(&painter, width, height);
    painter.end();
    return true;
}

}  // namespace aqlm::ui
