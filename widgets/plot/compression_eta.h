#pragma once
// The time left of a running compression, from what this run has measured (widget-free):
//  - after a finished block: each layer left in the current block takes what the same layer took in
//    the last finished block, then that block's time after its layers (fine-tuning, the pass for the
//    next block, the held-out check); every later block takes the last finished block's time;
//  - before that: the estimate measured before Start minus the time spent (while it has not run out);
//  - otherwise the pace per weight of the layers done so far times the weights left (a down_proj
//    is 2.7 q_projs on Llama-2-7B, so a count of layers would mislead).
#include <QHash>
#include <QString>

namespace aqlm::ui {

class CompressionEta {
public:
    // A new run; expectedSeconds < 0 when no estimate was measured.
    static constexpr int kLayersPerBlock = 7;  // q, k, v, o, gate, up, down

    void reset(double expectedSeconds = -1);
    void setNumBlocks(qint64 numBlocks);
    // elapsed: seconds since this run's clock started (resumed blocks took none of it).
    void layerStarted(qint64 block);
    void layerDone(const QString& layer, qint64 dOut, qint64 dIn, double seconds, double elapsed);
    void blockDone(qint64 block, double elapsed);
    // The run continues live after stored blocks were replayed on a clock of their own seconds: the
    // live clock starts at 0 with the next block.
    void rebase();
    // Seconds left, or < 0 while nothing tells yet.
    double secondsLeft(double elapsed) const;

private:
    double fromLastBlock(double elapsed) const;

    double m_expected = -1;
    qint64 m_numBlocks = 0;
    qint64 m_block = -1;               // the block in progress
    double m_blockStart = 0;           // elapsed when it began (the previous block's end)
    double m_lastLayerDone = -1;       // elapsed when its latest layer finished; < 0: none yet
    QHash<QString, double> m_current;  // its finished layers' seconds
    // The last finished block of this run.
    QHash<QString, double> m_last;
    double m_lastSeconds = -1, m_lastAfterLayers = 0;
    // Pace before any block finished: weights done and the time they took, and the layer shapes seen.
    double m_weightsDone = 0;
    int m_layersDone = 0;
    qint64 m_firstBlock = -1;
    QHash<QString, double> m_weightsOfLayer;
};

}  // namespace aqlm::ui
