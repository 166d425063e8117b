#pragma once
// Perplexity of every variant against bits/param, size or tokens/s: one scatter graph per method
// (distinct marker and colour for AQLM, GPTQ, RTN), each point labelled with its scheme, the Pareto
// front as a step line, and the original model as a labelled horizontal reference line.
#include "widgets/compare/compare_data.h"
#include "widgets/plot/qcustomplot_include.h"

#include <map>

namespace aqlm::ui {

class ComparePlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit ComparePlot(QWidget* parent = nullptr);

    void setComparison(const Comparison& comparison, CompareAxis axis);

    // The scatter graph of one method ("aqlm", "gptq", "rtn", or "other"); null when it has no points.
    QCPGraph* methodGraph(const QString& method) const;
    QList<QCPGraph*> methodGraphs() const;
    QCPGraph* frontGraph() const { return m_front; }
    // Null when the original has no perplexity on the dataset.
    QCPItemStraightLine* referenceLine() const { return m_reference; }
    int labelCount() const { return int(m_labels.size()); }
    QString labelText(int index) const;
    // Arrows from a parent variant's point to the variants fine-tuned from it.
    int lineageArrowCount() const { return int(m_lineage.size()); }
    // The tooltip of the point under pixel (name, scheme, bits, PPL, size, tok/s); empty when none.
    QString toolTipAt(const QPointF& pixel) const;
    // Where point index (in label order) is drawn, in widget pixels.
    QPointF pixelOfPoint(int index) const;

    // Writes the plot as an image; false (and nothing written) when the file cannot be created.
    bool exportPng(const QString& path, int width = 1200, int height = 800);
    bool exportSvg(const QString& path, int width = 1200, int height = 800);

protected:
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QCPGraph* graphFor(const QString& method);

    std::map<QString, QCPGraph*> m_methodGraphs;
    QCPGraph* m_front = nullptr;
    QCPItemStraightLine* m_reference = nullptr;
    std::vector<QCPItemText*> m_labels;
    std::vector<QCPItemLine*> m_lineage;
    std::vector<std::pair<QPointF, QString>> m_tips;  // each point's position and tooltip, label order
};

QString axisTitle(CompareAxis axis);

}  // namespace aqlm::ui
