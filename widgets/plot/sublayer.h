#pragma once
// The seven linear layers of a Llama block, in the order the engine quantizes them; plots use the
// index for colours and bar positions and the short name for legends.
#include <QColor>
#include <QString>

namespace aqlm::ui {

constexpr int kSublayerCount = 7;

// "self_attn.q_proj" -> 0 ... "mlp.down_proj" -> 6; -1 when unknown.
int sublayerIndex(const QString& layer);
// "self_attn.q_proj" -> "q_proj"
QString sublayerShortName(const QString& layer);
// "q", "k", "v", "o", "gate", "up", "down"
QString sublayerLabel(int index);
QColor sublayerColor(int index);

}  // namespace aqlm::ui
