#include "widgets/chat/chat_transcript.h"

#include <QLabel>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTextCursor>
#include <QVBoxLayout>

namespace aqlm::ui {

ChatTranscript::ChatTranscript(QWidget* parent) : QWidget(parent), m_answerName(tr("Model")) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_view = new QTextBrowser(this);
    m_view->setOpenLinks(false);
    layout->addWidget(m_title);
    layout->addWidget(m_view, 1);
}

void ChatTranscript::setTitle(const QString& title) { m_title->setText(title); }
QString ChatTranscript::title() const { return m_title->text(); }

void ChatTranscript::setAnswerName(const QString& name) {
    m_answerName = name;
    if (!m_streaming) render();
}

void ChatTranscript::setEntries(const QVector<Entry>& entries) {
    m_entries = entries;
    m_streaming = false;
    render();
}

void ChatTranscript::clear() { setEntries({}); }

void ChatTranscript::addUserMessage(const QString& text) {
    m_entries.push_back({true, text, {}});
    render();
}

void ChatTranscript::beginAnswer() {
    m_entries.push_back({false, {}, {}});
    m_streaming = true;
    m_streamedUpdates = 0;
    render();
}

void ChatTranscript::appendToAnswer(const QString& text) {
    if (!m_streaming || m_entries.isEmpty()) return;
    m_entries.last().text += text;
    ++m_streamedUpdates;
    // The answer's paragraph is the last block: append there instead of re-rendering everything.
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text);
    scrollToEnd();
}

void ChatTranscript::finishAnswer(const QString& text, const QString& statsLine) {
    if (!m_streaming || m_entries.isEmpty()) m_entries.push_back({false, {}, {}});
    m_entries.last().text = text;
    m_entries.last().statsLine = statsLine;
    m_streaming = false;
    render();
}

void ChatTranscript::removeLastAnswer() {
    if (!m_entries.isEmpty() && !m_entries.last().fromUser) m_entries.removeLast();
    m_streaming = false;
    render();
}

QString ChatTranscript::lastAnswer() const {
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it)
        if (!it->fromUser) return it->text;
    return {};
}

QString ChatTranscript::lastStatsLine() const {
    for (auto it = m_entries.crbegin(); it != m_entries.crend(); ++it)
        if (!it->fromUser) return it->statsLine;
    return {};
}

QString ChatTranscript::plainText() const { return m_view->toPlainText(); }

void ChatTranscript::render() {
    QString html;
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry& e = m_entries[i];
        const QString who = e.fromUser ? tr("You") : e.author.isEmpty() ? m_answerName : e.author;
        html += QStringLiteral("<p style=\"margin-top:10px; margin-bottom:2px; color:%1;\"><b>%2</b></p>")
                    .arg(e.fromUser ? QStringLiteral("#1f5fa8") : QStringLiteral("#2e7d32"), who.toHtmlEscaped());
        html += QStringLiteral("<p style=\"white-space:pre-wrap; margin-top:0px;\">%1</p>").arg(e.text.toHtmlEscaped());
        if (!e.statsLine.isEmpty())
            html += QStringLiteral("<p style=\"color:#777; font-size:small; margin-top:0px;\">%1</p>")
                        .arg(e.statsLine.toHtmlEscaped());
    }
    m_view->setHtml(html);
    scrollToEnd();
}

void ChatTranscript::scrollToEnd() {
    QScrollBar* bar = m_view->verticalScrollBar();
    bar->setValue(bar->maximum());
}

}  // namespace aqlm::ui
