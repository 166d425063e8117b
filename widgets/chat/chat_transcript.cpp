#include "widgets/chat/chat_transcript.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QRegularExpression>
#include <QTextDocument>
#include <QUrl>
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
    connect(m_view, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QLatin1String("copy")) copyCodeBlock(url.path().toInt());
    });
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

QString ChatTranscript::markdownToHtml(const QString& markdown) {
    // A single newline from a model means a new line (as in GPT4All and LM Studio), not a soft wrap:
    // outside code fences it becomes a Markdown hard break.
    QString text;
    bool inFence = false;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString& line = lines[i];
        if (line.trimmed().startsWith(QLatin1String("```")) || line.trimmed().startsWith(QLatin1String("~~~"))) inFence = !inFence;
        text += line;
        if (i + 1 < lines.size()) {
            const bool hardBreak = !inFence && !line.trimmed().isEmpty() && !lines[i + 1].trimmed().isEmpty();
            text += hardBreak ? QStringLiteral("  \n") : QStringLiteral("\n");
        }
    }
    QTextDocument doc;
    doc.setMarkdown(text, QTextDocument::MarkdownDialectGitHub);
    // Code blocks in a monospace font, whatever the platform's default for <pre> is.
    QString html = doc.toHtml();
    const QRegularExpression body(QStringLiteral("<body[^>]*>(.*)</body>"), QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = body.match(html);
    html = m.hasMatch() ? m.captured(1) : html;
    html.replace(QStringLiteral("<pre"), QStringLiteral("<pre style=\"font-family:monospace; background-color:#f4f4f4;\""));
    return html;
}

QStringList ChatTranscript::fencedCodeBlocks(const QString& markdown) {
    static const QRegularExpression fence(QStringLiteral("(?:^|\\n)(```|~~~)[^\\n]*\\n(.*?)(?:\\n\\1|$)"),
                                          QRegularExpression::DotMatchesEverythingOption);
    QStringList blocks;
    auto it = fence.globalMatch(markdown);
    while (it.hasNext()) blocks << it.next().captured(2);
    return blocks;
}

bool ChatTranscript::copyCodeBlock(int index) {
    if (index < 0 || index >= m_codeBlocks.size()) return false;
    QGuiApplication::clipboard()->setText(m_codeBlocks[index]);
    return true;
}

void ChatTranscript::render() {
    QString html;
    m_codeBlocks.clear();
    for (int i = 0; i < m_entries.size(); ++i) {
        const Entry& e = m_entries[i];
        const QString who = e.fromUser ? tr("You") : e.author.isEmpty() ? m_answerName : e.author;
        html += QStringLiteral("<p style=\"margin-top:10px; margin-bottom:2px; color:%1;\"><b>%2</b></p>")
                    .arg(e.fromUser ? QStringLiteral("#1f5fa8") : QStringLiteral("#2e7d32"), who.toHtmlEscaped());
        const bool streamingNow = m_streaming && i == m_entries.size() - 1;
        if (e.fromUser || streamingNow) {
            // What the user typed is shown as typed; an answer being streamed becomes Markdown when done.
            html += QStringLiteral("<p style=\"white-space:pre-wrap; margin-top:0px;\">%1</p>").arg(e.text.toHtmlEscaped());
        } else {
            html += markdownToHtml(e.text);
            QStringList links;
            for (const QString& code : fencedCodeBlocks(e.text)) {
                links << QStringLiteral("<a href=\"copy:%1\">%2</a>").arg(m_codeBlocks.size()).arg(tr("Copy code"));
                m_codeBlocks << code;
            }
            if (!links.isEmpty())
                html += QStringLiteral("<p style=\"margin-top:0px; font-size:small;\">%1</p>").arg(links.join(QStringLiteral(" · ")));
        }
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
