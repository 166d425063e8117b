#pragma once
// One column of a conversation: the user's turns and one model's answers, each answer followed by
// its statistics line. Streaming text is appended at the end of the document without re-rendering,
// so long answers stay cheap to show.
#include "widgets/chat/chat_types.h"

#include <QString>
#include <QVector>
#include <QWidget>

class QLabel;
class QTextBrowser;

namespace aqlm::ui {

class ChatTranscript : public QWidget {
    Q_OBJECT
public:
    using Entry = ChatEntry;

    explicit ChatTranscript(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    QString title() const;
    void setAnswerName(const QString& name);  // heading of the model's answers
    void setEntries(const QVector<Entry>& entries);
    const QVector<Entry>& entries() const { return m_entries; }
    void clear();

    void addUserMessage(const QString& text);
    void beginAnswer();
    void appendToAnswer(const QString& text);
    void finishAnswer(const QString& text, const QString& statsLine);
    void removeLastAnswer();

    QString lastAnswer() const;
    QString lastStatsLine() const;
    bool isStreaming() const { return m_streaming; }
    int streamedUpdates() const { return m_streamedUpdates; }  // appendToAnswer calls of the current answer
    QString plainText() const;
    QTextBrowser* view() const { return m_view; }
    // Finished answers are shown as Markdown (headings, lists, emphasis, code blocks in monospace);
    // each code block gets a "Copy code" link. The code blocks shown now, in order:
    const QStringList& codeBlocks() const { return m_codeBlocks; }
    // Puts code block index on the clipboard (what its link does); false for an unknown index.
    bool copyCodeBlock(int index);
    // The HTML of a Markdown text, as a fragment to place in the transcript.
    static QString markdownToHtml(const QString& markdown);
    // The fenced code blocks of a Markdown text (their content, without the fences).
    static QStringList fencedCodeBlocks(const QString& markdown);

private:
    void render();
    void scrollToEnd();

    QLabel* m_title = nullptr;
    QTextBrowser* m_view = nullptr;
    QVector<Entry> m_entries;
    QStringList m_codeBlocks;
    QString m_answerName;
    bool m_streaming = false;
    int m_streamedUpdates = 0;
};

}  // namespace aqlm::ui
