// Plots put synthetic engine reports at the right coordinates (asserted on the plotted data).
#include "widgets/plot/epoch_error_plot.h"
#include "widgets/plot/finetune_loss_plot.h"
#include "widgets/plot/layer_error_bar_plot.h"
#include "widgets/plot/sublayer.h"

#include <QtTest/QtTest>

#include <cmath>

using namespace aqlm;
using namespace aqlm::ui;

namespace {
const char* kLayers[] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                         "mlp.gate_proj",    "mlp.up_proj",      "mlp.down_proj"};

EpochReport epoch(qint64 block, const char* layer, int e, double rel) {
    EpochReport r;
    r.block = block;
    r.layer = layer;
    r.epoch = e;
    r.relError = rel;
    return r;
}

LayerReport layerReport(qint64 block, const char* layer, double rel) {
    LayerReport r;
    r.block = block;
    r.layer = layer;
    r.name = "model.layers." + std::to_string(block) + "." + layer;
    r.relError = rel;
    return r;
}
}  // namespace

class TestPlots : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sublayerNames() {
        QCOMPARE(sublayerIndex("self_attn.q_proj"), 0);
        QCOMPARE(sublayerIndex("mlp.down_proj"), 6);
        QCOMPARE(sublayerIndex("lm_head"), -1);
        QCOMPARE(sublayerShortName("mlp.gate_proj"), QString("gate_proj"));
    }

    void epochCurves() {
        EpochErrorPlot plot;
        for (int e = 0; e < 4; ++e) plot.addEpoch(epoch(0, "self_attn.q_proj", e, 0.5 / (e + 1)));
        for (int e = 0; e < 2; ++e) plot.addEpoch(epoch(2, "mlp.up_proj", e, 0.1 / (e + 1)));
        QCOMPARE(plot.curveCount(), 2);
        QCOMPARE(plot.curveName(0), QString("block 1 q_proj"));
        QCOMPARE(plot.curveName(1), QString("block 3 up_proj"));
        QCOMPARE(plot.pointCount(0, "self_attn.q_proj"), 4);
        QCOMPARE(plot.pointCount(2, "mlp.up_proj"), 2);
        QCOMPARE(plot.pointCount(1, "mlp.up_proj"), 0);
        QCOMPARE(plot.pointAt(0, "self_attn.q_proj", 3), QPointF(3, 0.125));
        QCOMPARE(plot.pointAt(2, "mlp.up_proj", 1), QPointF(1, 0.05));
        QCOMPARE(plot.yAxis->scaleType(), QCPAxis::stLogarithmic);
        // Every point lies inside the visible range.
        QVERIFY(plot.yAxis->range().contains(0.5) && plot.yAxis->range().contains(0.05));
        QVERIFY(plot.xAxis->range().contains(3));
        plot.clear();
        QCOMPARE(plot.curveCount(), 0);
    }

    void layerBars() {
        LayerErrorBarPlot plot;
        for (qint64 b = 0; b < 3; ++b)
            for (int s = 0; s < 7; ++s) plot.addLayer(layerReport(b, kLayers[s], 0.01 * (b + 1) + 0.001 * s));
        QCOMPARE(plot.barCount(), 21);
        QCOMPARE(plot.valueAt(1, 4), 0.02 + 0.004);
        QCOMPARE(plot.valueAt(2, 6), 0.03 + 0.006);
        QVERIFY(std::isnan(plot.valueAt(3, 0)));
        // Groups of seven bars per block: one bars object per sublayer, in block order.
        QCPBars* gate = nullptr;
        for (int i = 0; i < plot.plottableCount(); ++i)
            if (plot.plottable(i)->name() == "gate") gate = qobject_cast<QCPBars*>(plot.plottable(i));
        QVERIFY(gate);
        QCOMPARE(gate->dataCount(), 3);
        QCOMPARE(gate->data()->at(2)->key, LayerErrorBarPlot::keyFor(2, 4));
        QVERIFY(LayerErrorBarPlot::keyFor(1, 0) > LayerErrorBarPlot::keyFor(0, 6) + 1);
        QVERIFY(plot.xAxis->range().contains(LayerErrorBarPlot::keyFor(2, 6)));
        QVERIFY(plot.yAxis->range().contains(0.036));
        QCOMPARE(plot.legend->itemCount(), 7);
        // Unknown layers are ignored rather than drawn at a wrong place.
        plot.addLayer(layerReport(0, "lm_head", 0.5));
        QCOMPARE(plot.barCount(), 21);
        plot.clear();
        QCOMPARE(plot.barCount(), 0);
    }

    void finetuneLoss() {
        FinetuneLossPlot plot;
        plot.addEpoch(0, 0, 1.0, 1.1);
        plot.addEpoch(0, 1, 0.8, 0.9);
        plot.addEpoch(1, 0, 0.5, 0.7);
        QCOMPARE(plot.pointCount(), 3);
        QCOMPARE(plot.trainAt(0), QPointF(1, 1.0));
        QCOMPARE(plot.validationAt(1), QPointF(2, 0.9));
        QCOMPARE(plot.trainAt(2), QPointF(3, 0.5));
        QVERIFY(plot.yAxis->range().contains(1.1));
    }
};

QTEST_MAIN(TestPlots)
#include "tst_plots.moc"
