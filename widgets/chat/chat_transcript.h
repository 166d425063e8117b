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

private:
    void render();
    void scrollToEnd();

    QLabel* m_title = nullptr;
    QTextBrowser* m_view = nullptr;
    QVector<Entry> m_entries;
    QString m_answerName;
    bool m_streaming = false;
    int m_streamedUpdates = 0;
};

}  // namespace aqlm::ui
