#pragma once
// Train and validation loss of block fine-tuning, epoch after epoch across all blocks, so the
// user sees whether fine-tuning still helps and whether it overfits the calibration set.
#include "widgets/plot/qcustomplot_include.h"

namespace aqlm::ui {

class FinetuneLossPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit FinetuneLossPlot(QWidget* parent = nullptr);

    int pointCount() const;
    // (running epoch number from 1, loss) of point i.
    QPointF trainAt(int i) const;
    QPointF validationAt(int i) const;

public Q_SLOTS:
    void addEpoch(qint64 block, int epoch, double trainLoss, double validationLoss);
    void clear();

private:
    QCPGraph* m_train = nullptr;
    QCPGraph* m_validation = nullptr;
    QSharedPointer<QCPAxisTickerText> m_ticker;
    qint64 m_lastBlock = -1;
};

}  // namespace aqlm::ui
