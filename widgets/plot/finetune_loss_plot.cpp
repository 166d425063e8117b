#include "widgets/plot/finetune_loss_plot.h"

#include <algorithm>

namespace aqlm::ui {

namespace {
QPointF pointOf(const QCPGraph* graph, int i) {
    if (i < 0 || i >= graph->dataCount()) return {};
    const auto it = graph->data()->at(i);
    return {it->key, it->value};
}
}  // namespace

FinetuneLossPlot::FinetuneLossPlot(QWidget* parent) : QCustomPlot(parent), m_ticker(new QCPAxisTickerText) {
    m_train = addGraph();
    m_train->setName(tr("train"));
    m_train->setPen(QPen(QColor(0x1f77b4), 2));
    m_train->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
    m_validation = addGraph();
    m_validation->setName(tr("validation"));
    m_validation->setPen(QPen(QColor(0xd62728), 2, Qt::DashLine));
    m_validation->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, 4));
    // Ticks mark where each block's fine-tuning starts: epochs are numbered across blocks.
    xAxis->setTicker(m_ticker);
    xAxis->setLabel(tr("block (fine-tune epochs)"));
    yAxis->setLabel(tr("loss"));
    xAxis->setRange(0, 5);
    yAxis->setRange(0, 1);
    legend->setVisible(true);
    // Later blocks start from larger losses, so the upper left corner is the one that stays empty.
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, tr("Block fine-tuning loss"), QFont(font().family(), -1, QFont::Bold)));
    setMinimumHeight(180);
}

void FinetuneLossPlot::addEpoch(qint64 block, int epoch, double trainLoss, double validationLoss) {
    Q_UNUSED(epoch);
    const double x = m_train->dataCount() + 1;
    if (block != m_lastBlock) {
        m_ticker->addTick(x, QString::number(block + 1));
        m_lastBlock = block;
    }
    m_train->addData(x, trainLoss);
    m_validation->addData(x, validationLoss);
    bool found = false;
    const QCPRange values = m_train->getValueRange(found);
    bool foundValidation = false;
    const QCPRange validation = m_validation->getValueRange(foundValidation);
    const double top = std::max(found ? values.upper : 0.0, foundValidation ? validation.upper : 0.0);
    yAxis->setRange(0, top > 0 ? top * 1.3 : 1);  // headroom for the legend
    xAxis->setRange(0, std::max(5.0, x + 1));
    replot(QCustomPlot::rpQueuedReplot);
}

void FinetuneLossPlot::clear() {
    m_train->data()->clear();
    m_validation->data()->clear();
    m_ticker->clear();
    m_lastBlock = -1;
    xAxis->setRange(0, 5);
    yAxis->setRange(0, 1);
    replot(QCustomPlot::rpQueuedReplot);
}

int FinetuneLossPlot::pointCount() const { return m_train->dataCount(); }
QPointF FinetuneLossPlot::trainAt(int i) const { return pointOf(m_train, i); }
QPointF FinetuneLossPlot::validationAt(int i) const { return pointOf(m_validation, i); }

}  // namespace aqlm::ui
