#pragma once
// The Chat page's conversation without widgets (like compare_data for the Compare page): which
// chat is open, what it stores in the library, the turns each column's model is shown, how
// Regenerate leaves out the answer it replaces, and the transcript lines of each column.
// Column 0 holds the first model's answers, column 1 the second model's (side by side); user
// turns belong to both. Every write goes through LibraryService::guarded, so a library that
// refuses it is reported (LibraryService::failed) and the call returns false instead of throwing.
#include "widgets/chat/chat_types.h"

#include "engine/api/chat_session.h"
#include "engine/library/library_records.h"

#include <QCoreApplication>
#include <QString>
#include <QVector>

#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace aqlm::ui {

class LibraryService;

// What the user has set up for the next message: models, system prompt, mode.
struct ChatSetup {
    qint64 modelId = 0;
    QString modelName;                      // titles a story that starts without text
    std::optional<int64_t> secondModelId;   // side by side
    QString systemPrompt;
    aqlm::ChatMode mode = aqlm::ChatMode::Chat;
};

class ChatConversation {
    Q_DECLARE_TR_FUNCTIONS(ChatConversation)
public:
    static constexpr int kColumns = 2;

    explicit ChatConversation(LibraryService* library);

    const std::optional<aqlm::ChatRecord>& chat() const { return m_chat; }
    qint64 id() const { return m_chat ? m_chat->id : 0; }
    bool isOpen() const { return bool(m_chat); }

    void reset();              // a new conversation, stored with its first message
    bool open(qint64 chatId);  // false when there is no such chat

    // Creates the chat (titled after firstText, or "Story with <model>" when that is empty) or
    // stores changed models, system prompt or mode. False when the library refused.
    bool ensure(const ChatSetup& setup, const QString& firstText);
    bool addUserMessage(const QString& text);
    bool rename(const QString& title);  // a blank title is refused
    bool clear();                       // every message; the chat stays
    bool remove();                      // the chat and its messages; none is open afterwards

    std::vector<aqlm::MessageRecord> messages() const;  // oldest first; empty when none is open
    bool lastIsAnswer() const;

    bool belongsToColumn(const aqlm::MessageRecord& m, int column) const;
    // The turns a column's model sees: every user turn and the answers of that column.
    std::vector<aqlm::ChatTurn> turnsFor(int column, const std::vector<aqlm::MessageRecord>& messages) const;

    // The prompts for the first `columns` columns of one Send (regenerate false) or Regenerate
    // (true: each column's newest answer after the last user turn is left out and replaced by
    // recordAnswer). Call answersEnded() once every answer has ended.
    std::vector<aqlm::ChatPrompt> beginAnswers(int columns, bool regenerate);
    // Stores a finished answer (content, model and statistics): in place of the one Regenerate
    // left out, else as a new message (a column side by side was switched on for since).
    bool recordAnswer(int column, aqlm::MessageRecord answer);
    void answersEnded();

    QVector<ChatEntry> transcriptEntries(int column, const std::vector<aqlm::MessageRecord>& messages) const;
    QString modelName(qint64 modelId) const;
    // Who wrote an answer: its model's name, or the name stored with it once the model is gone.
    QString answerAuthor(const aqlm::MessageRecord& m) const;
    QString statsLineFor(const aqlm::MessageRecord& m) const;

private:
    bool write(const QString& failure, const std::function<void()>& call);

    LibraryService* m_library = nullptr;
    std::optional<aqlm::ChatRecord> m_chat;
    bool m_regenerating = false;
    std::array<std::optional<int64_t>, kColumns> m_replacedModel{};  // model of the answer being replaced
};

}  // namespace aqlm::ui
