// CompressionEta: the time left from the run's own measurements (widget-free, no clocks: the test
// feeds the elapsed seconds).
#include "widgets/plot/compression_eta.h"

#include <QtTest/QtTest>

using namespace aqlm::ui;

namespace {

const char* kLayers[] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                         "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};

// Block `block` of a model with 64 x 64 attention and 64 x 172 MLP layers: layer i takes seconds[i],
// starting at `start` (after a pass of `before` s); the block ends `after` s after its last layer.
double runBlock(CompressionEta& eta, qint64 block, double start, const double (&seconds)[7], double before,
                double after) {
    double t = start + before;
    for (int i = 0; i < 7; ++i) {
        eta.layerStarted(block);
        t += seconds[i];
        const bool mlp = i >= 4;
        eta.layerDone(kLayers[i], i == 6 ? 64 : (mlp ? 172 : 64), i == 6 ? 172 : 64, seconds[i], t);
    }
    t += after;
    eta.blockDone(block, t);
    return t;
}

}  // namespace

class TestCompressionEta : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nothingKnownGivesNoEta() {
        CompressionEta eta;
        eta.reset();
        QVERIFY(eta.secondsLeft(0) < 0);
        eta.setNumBlocks(4);
        eta.layerStarted(0);
        QVERIFY(eta.secondsLeft(3) < 0);
    }

    void theMeasuredEstimateLeadsUntilABlockIsDone() {
        CompressionEta eta;
        eta.reset(100);
        eta.setNumBlocks(4);
        eta.layerStarted(0);
        QCOMPARE(eta.secondsLeft(30), 70.0);
        // Past the estimate: the pace per weight takes over (q done in 10 s: 4096 of 7 layers' weights).
        eta.layerDone(kLayers[0], 64, 64, 110, 110);
        QVERIFY(eta.secondsLeft(110) > 0);
    }

    void paceIsPerWeightNotPerLayer() {
        CompressionEta eta;
        eta.reset();
        eta.setNumBlocks(2);
        eta.layerStarted(0);
        eta.layerDone(kLayers[0], 64, 64, 4, 4);           // 4096 weights in 4 s
        eta.layerDone(kLayers[6], 64, 172, 11.0, 15.0);    // 11008 weights in 11 s
        // 15 s for 15104 weights; the 5 shapes not seen count as the mean seen (7552): a block is
        // 15104 + 5 * 7552 = 52864 weights, two blocks 105728; 90624 left at 15 s per 15104.
        QCOMPARE(eta.secondsLeft(15), 15.0 / 15104 * 90624);
    }

    void afterABlockEachLayerTakesWhatItTookThere() {
        CompressionEta eta;
        eta.reset(1000);  // the measured block replaces the estimate
        eta.setNumBlocks(3);
        const double seconds[7] = {1, 2, 3, 4, 5, 6, 7};
        const double end0 = runBlock(eta, 0, 0, seconds, /*before=*/0, /*after=*/10);  // 28 + 10 = 38 s
        QCOMPARE(end0, 38.0);
        // Block 1 has not started a layer: all of it (38 s) minus the time since it began, then block 2.
        QCOMPARE(eta.secondsLeft(40), 36.0 + 38.0);
        // q and k of block 1 are done: v..down of block 0 (3+4+5+6+7) + its 10 s after the layers + block 2.
        eta.layerStarted(1);
        eta.layerDone(kLayers[0], 64, 64, 1, 45);
        eta.layerDone(kLayers[1], 64, 64, 2, 47);
        QCOMPARE(eta.secondsLeft(47), 25.0 + 10.0 + 38.0);
        // All layers of block 1 done at 72: its fine-tuning is left (10 s after the layers, 4 spent).
        for (int i = 2; i < 7; ++i) eta.layerDone(kLayers[i], 64, 64, seconds[i], 47 + (i - 1) * 5);
        QCOMPARE(eta.secondsLeft(76), 6.0 + 38.0);
        eta.blockDone(1, 82);  // block 1 took 82 - 38 = 44 s
        QCOMPARE(eta.secondsLeft(82), 44.0);
        const double end2 = runBlock(eta, 2, 82, seconds, 0, 10);
        QCOMPARE(eta.secondsLeft(end2), 0.0);
    }

    void replayedBlocksFeedTheEtaOfTheResumedRun() {
        CompressionEta eta;
        eta.reset();
        eta.setNumBlocks(3);
        const double seconds[7] = {1, 1, 1, 1, 2, 2, 2};
        runBlock(eta, 0, 0, seconds, 0, 5);  // stored: 15 s
        eta.rebase();                         // the live run starts with block 1 at 0 s
        eta.layerStarted(1);
        QCOMPARE(eta.secondsLeft(0), 15.0 + 15.0);
        QCOMPARE(eta.secondsLeft(4), 11.0 + 15.0);
    }
};

QTEST_GUILESS_MAIN(TestCompressionEta)
#include "tst_compression_eta.moc"
