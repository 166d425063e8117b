#include "widgets/plot/finetune_monitor.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace aqlm::ui {

namespace {
QString durationText(double seconds) {
    const qint64 s = qint64(std::llround(std::max(0.0, seconds)));
    if (s >= 3600) return FinetuneMonitor::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    if (s >= 60) return FinetuneMonitor::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return FinetuneMonitor::tr("%1 s").arg(s);
}

// The y range of a graph with a little room above and below; x from the first step to the last.
void rescale(QCustomPlot* plot, double lastX) {
    QCPGraph* g = plot->graph(0);
    bool found = false;
    const QCPRange values = g->getValueRange(found);
    if (found) {
        const double pad = std::max(values.size() * 0.1, std::abs(values.upper) * 0.02 + 1e-12);
        plot->yAxis->setRange(std::max(0.0, values.lower - pad), values.upper + pad);
    }
    plot->xAxis->setRange(0, std::max(5.0, lastX + 1));
    plot->replot(QCustomPlot::rpQueuedReplot);
}
}  // namespace

FinetuneMonitor::FinetuneMonitor(QWidget* parent) : QWidget(parent) {
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status = new QLabel(tr("Not started."));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_loss = makePlot(tr("KD loss per step"), tr("KL(teacher || student)"), QColor(0x1f77b4));
    m_ppl = makePlot(tr("Validation perplexity"), tr("perplexity"), QColor(0xd62728));
    m_ppl->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, 6));
    m_codes = makePlot(tr("Codes changed per step"), tr("% of code groups"), QColor(0x2ca02c));

    auto* plots = new QHBoxLayout;
    plots->addWidget(m_loss, 1);
    plots->addWidget(m_ppl, 1);
    plots->addWidget(m_codes, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(plots, 1);
}

QCustomPlot* FinetuneMonitor::makePlot(const QString& title, const QString& yLabel, const QColor& color) {
    auto* plot = new QCustomPlot;
    QCPGraph* g = plot->addGraph();
    g->setPen(QPen(color, 2));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 3));
    plot->xAxis->setLabel(tr("step"));
    plot->yAxis->setLabel(yLabel);
    plot->xAxis->setRange(0, 5);
    plot->yAxis->setRange(0, 1);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, QFont(font().family(), -1, QFont::Bold)));
    plot->setMinimumSize(220, 200);
    return plot;
}

void FinetuneMonitor::start(qint64 totalSteps, aqlm::FinetuneMode mode) {
    m_totalSteps = std::max<qint64>(1, totalSteps);
    m_firstStep = 0;
    for (QCustomPlot* p : {m_loss, m_ppl, m_codes}) {
        p->graph(0)->data()->clear();
        rescale(p, 0);
    }
    m_codes->setVisible(mode == aqlm::FinetuneMode::Pv);
    m_progress->setRange(0, int(m_totalSteps));
    m_progress->setValue(0);
    setStatus(tr("Loading the models and the fine-tuning text…"));
}

void FinetuneMonitor::addStep(const aqlm::FinetuneStepReport& r) {
    if (m_firstStep == 0) m_firstStep = r.step;
    m_loss->graph(0)->addData(double(r.step), r.klLoss);
    rescale(m_loss, double(r.step));
    if (r.codeGroups > 0) {
        m_codes->graph(0)->addData(double(r.step), 100.0 * double(r.codesChanged) / double(r.codeGroups));
        rescale(m_codes, double(r.step));
    }
    m_progress->setValue(int(std::min<qint64>(r.step, m_totalSteps)));
    const double perStep = r.seconds / double(r.step - m_firstStep + 1);
    setStatus(tr("Step %1 of %2 · KD loss %3 · about %4 left")
                  .arg(r.step)
                  .arg(m_totalSteps)
                  .arg(r.klLoss, 0, 'f', 4)
                  .arg(durationText(perStep * double(m_totalSteps - r.step))));
}

void FinetuneMonitor::addEvaluation(const aqlm::FinetuneEvalReport& r) {
    m_ppl->graph(0)->addData(double(r.step), r.validationPerplexity);
    rescale(m_ppl, double(std::max<qint64>(r.step, qint64(m_loss->graph(0)->dataCount()))));
}

void FinetuneMonitor::showFinished(const aqlm::FinetuneSummary& s) {
    m_progress->setValue(m_progress->maximum());
    setStatus(tr("Finished: validation perplexity %1 → %2 (best at step %3), %4.")
                  .arg(s.initialPerplexity, 0, 'f', 3)
                  .arg(s.bestPerplexity, 0, 'f', 3)
                  .arg(s.bestStep)
                  .arg(durationText(s.seconds)));
}

void FinetuneMonitor::showStopped(const QString& text) { setStatus(text); }

void FinetuneMonitor::setStatus(const QString& text) { m_status->setText(text); }

QString FinetuneMonitor::statusText() const { return m_status->text(); }
int FinetuneMonitor::stepCount() const { return m_loss->graph(0)->dataCount(); }
int FinetuneMonitor::evaluationCount() const { return m_ppl->graph(0)->dataCount(); }

}  // namespace aqlm::ui
