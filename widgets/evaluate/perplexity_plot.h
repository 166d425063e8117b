#pragma once
// Running perplexity against windows scored, one curve per evaluated model, so a long evaluation
// shows early whether a variant is far off the original.
#include "widgets/plot/qcustomplot_include.h"

namespace aqlm::ui {

class PerplexityPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit PerplexityPlot(QWidget* parent = nullptr);

    int curveCount() const { return graphCount(); }
    QString curveName(int curve) const;
    int pointCount(int curve) const;
    QPointF pointAt(int curve, int i) const;  // (windows scored, running perplexity)

public Q_SLOTS:
    // Starts a new curve; later points go to it.
    void startCurve(const QString& name);
    // Adds (windows, perplexity) to the current curve; a repeat of the last window count replaces it.
    void addPoint(qint64 windows, double perplexity);
    void clear();

private:
    void fitRanges();
};

}  // namespace aqlm::ui
