#pragma once
// A conversation as Markdown (File > Export): title, models, mode, system prompt, then each turn
// under a heading naming who spoke, answers followed by their statistics.
#include "engine/library/library_records.h"

#include <QString>

#include <functional>
#include <vector>

namespace aqlm::ui {

// modelName maps a library model id to the name to print.
QString chatToMarkdown(const aqlm::ChatRecord& chat, const std::vector<aqlm::MessageRecord>& messages,
                       const std::function<QString(qint64)>& modelName);

// "123.4 tok/s · first token 15 ms · 120/512 tokens of context · dense fp32 on CPU"
QString answerStatsLine(double tokensPerSecond, double firstTokenMs, qint64 contextUsed, qint64 contextLength,
                        const QString& kernel);

}  // namespace aqlm::ui
