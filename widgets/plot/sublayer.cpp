#include "widgets/plot/sublayer.h"

#include <array>

namespace aqlm::ui {

namespace {
const std::array<const char*, kSublayerCount> kNames = {"q_proj", "k_proj", "v_proj", "o_proj",
                                                        "gate_proj", "up_proj", "down_proj"};
const std::array<const char*, kSublayerCount> kLabels = {"q", "k", "v", "o", "gate", "up", "down"};
// Attention in blues/greens, MLP in warm colours, so the two halves of a block read apart.
const std::array<QRgb, kSublayerCount> kColors = {0x1f77b4, 0x17becf, 0x2ca02c, 0x9467bd,
                                                  0xff7f0e, 0xd62728, 0x8c564b};
}  // namespace

QString sublayerShortName(const QString& layer) {
    const int dot = layer.lastIndexOf(QLatin1Char('.'));
    return dot < 0 ? layer : layer.mid(dot + 1);
}

int sublayerIndex(const QString& layer) {
    const QString shortName = sublayerShortName(layer);
    for (int i = 0; i < kSublayerCount; ++i)
        if (shortName == QLatin1String(kNames[i])) return i;
    return -1;
}

QString sublayerLabel(int index) {
    return index >= 0 && index < kSublayerCount ? QString::fromLatin1(kLabels[index]) : QStringLiteral("?");
}

QColor sublayerColor(int index) {
    return index >= 0 && index < kSublayerCount ? QColor(kColors[index]) : QColor(Qt::gray);
}

}  // namespace aqlm::ui
