#include "widgets/chat/chat_markdown.h"

#include <QCoreApplication>
#include <QDateTime>

namespace aqlm::ui {

// Translation context for the strings of the exported file.
class ChatMarkdown {
    Q_DECLARE_TR_FUNCTIONS(aqlm::ui::ChatMarkdown)
};

QString answerStatsLine(double tokensPerSecond, double firstTokenMs, qint64 contextUsed, qint64 contextLength,
                        const QString& kernel) {
    QString line = ChatMarkdown::tr("%1 tok/s · first token %2 ms").arg(tokensPerSecond, 0, 'f', 1).arg(firstTokenMs, 0, 'f', 0);
    if (contextLength > 0) line += ChatMarkdown::tr(" · %1/%2 tokens of context").arg(contextUsed).arg(contextLength);
    else if (contextUsed > 0) line += ChatMarkdown::tr(" · %1 tokens of context").arg(contextUsed);
    if (!kernel.isEmpty()) line += QStringLiteral(" · ") + kernel;
    return line;
}

QString chatToMarkdown(const aqlm::ChatRecord& chat, const std::vector<aqlm::MessageRecord>& messages,
                       const std::function<QString(qint64)>& modelName) {
    QString md = QStringLiteral("# %1\n\n").arg(chat.title.empty() ? ChatMarkdown::tr("Conversation") : QString::fromStdString(chat.title));
    md += ChatMarkdown::tr("- Model: %1\n").arg(modelName(chat.modelId));
    if (chat.secondModelId) md += ChatMarkdown::tr("- Side by side with: %1\n").arg(modelName(*chat.secondModelId));
    md += ChatMarkdown::tr("- Mode: %1\n").arg(chat.mode == "continue" ? ChatMarkdown::tr("continue the story") : ChatMarkdown::tr("chat"));
    md += ChatMarkdown::tr("- Started: %1\n").arg(QDateTime::fromSecsSinceEpoch(chat.createdAt).toString(Qt::ISODate));
    if (!chat.systemPrompt.empty()) md += ChatMarkdown::tr("- System prompt: %1\n").arg(QString::fromStdString(chat.systemPrompt));
    for (const aqlm::MessageRecord& m : messages) {
        const bool answer = m.role == aqlm::MessageRole::Assistant;
        const QString who = m.role == aqlm::MessageRole::User ? ChatMarkdown::tr("You")
                            : answer         ? (m.modelId ? modelName(*m.modelId)
                                                : !m.modelName.empty() ? QString::fromStdString(m.modelName)
                                                                       : ChatMarkdown::tr("Model"))
                                             : ChatMarkdown::tr("System");
        md += QStringLiteral("\n## %1\n\n%2\n").arg(who, QString::fromStdString(m.content).trimmed());
        if (answer && m.tokens > 0)
            md += QStringLiteral("\n*%1*\n").arg(answerStatsLine(m.tokensPerSecond, m.firstTokenMs, m.contextUsed, 0,
                                                                 QString::fromStdString(m.kernel)));
    }
    return md;
}

}  // namespace aqlm::ui
