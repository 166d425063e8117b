#include "widgets/plot/compression_eta.h"

#include <algorithm>

namespace aqlm::ui {

void CompressionEta::reset(double expectedSeconds) { *this = CompressionEta{}; m_expected = expectedSeconds; }

void CompressionEta::setNumBlocks(qint64 numBlocks) { m_numBlocks = numBlocks; }

void CompressionEta::layerStarted(qint64 block) {
    if (m_firstBlock < 0) m_firstBlock = block;
    if (block != m_block) {  // a new block: its calibration pass ran since the last block ended
        m_block = block;
        m_current.clear();
        m_lastLayerDone = -1;
    }
}

void CompressionEta::layerDone(const QString& layer, qint64 dOut, qint64 dIn, double seconds, double elapsed) {
    m_current.insert(layer, seconds);
    m_lastLayerDone = elapsed;
    const double weights = double(dOut) * double(dIn);
    m_weightsOfLayer.insert(layer, weights);
    m_weightsDone += weights;
    ++m_layersDone;
}

void CompressionEta::blockDone(qint64 block, double elapsed) {
    Q_UNUSED(block);
    m_last = m_current;
    m_lastSeconds = elapsed - m_blockStart;
    m_lastAfterLayers = m_lastLayerDone >= 0 ? elapsed - m_lastLayerDone : 0;
    m_blockStart = elapsed;
    m_current.clear();
    m_lastLayerDone = -1;
    m_block = block + 1;
}

void CompressionEta::rebase() {
    m_blockStart = 0;
    m_lastLayerDone = -1;
    m_current.clear();
    m_firstBlock = -1;
    m_weightsDone = 0;
    m_layersDone = 0;
}

double CompressionEta::fromLastBlock(double elapsed) const {
    const qint64 blocksAfter = std::max<qint64>(0, m_numBlocks - m_block - 1);
    double current = 0;
    if (m_block >= m_numBlocks) {
        current = 0;  // the last block is done: only saving is left
    } else if (m_current.isEmpty()) {
        current = std::max(0.0, m_lastSeconds - (elapsed - m_blockStart));
    } else if (m_current.size() >= kLayersPerBlock) {
        current = std::max(0.0, m_lastAfterLayers - (elapsed - m_lastLayerDone));
    } else {
        for (auto it = m_last.cbegin(); it != m_last.cend(); ++it)
            if (!m_current.contains(it.key())) current += it.value();
        current += m_lastAfterLayers;
    }
    return current + double(blocksAfter) * m_lastSeconds;
}

double CompressionEta::secondsLeft(double elapsed) const {
    if (m_numBlocks <= 0) return -1;
    if (m_lastSeconds >= 0) return fromLastBlock(elapsed);
    if (m_expected > elapsed) return m_expected - elapsed;
    if (m_layersDone == 0 || m_weightsDone <= 0) return -1;
    // Weights of a block from the layer shapes seen; every block has the same shapes.
    double blockWeights = 0;
    for (double w : m_weightsOfLayer) blockWeights += w;
    if (m_weightsOfLayer.size() < kLayersPerBlock)  // the shapes not seen yet: as large as the mean seen
        blockWeights += (kLayersPerBlock - m_weightsOfLayer.size()) * blockWeights / m_weightsOfLayer.size();
    const double weightsLeft = std::max(0.0, blockWeights * double(m_numBlocks - m_firstBlock) - m_weightsDone);
    return elapsed / m_weightsDone * weightsLeft;
}

}  // namespace aqlm::ui
