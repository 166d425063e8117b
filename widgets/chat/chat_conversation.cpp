#include "widgets/chat/chat_conversation.h"

#include "widgets/chat/chat_markdown.h"
#include "widgets/chat/chat_roles.h"
#include "widgets/core/library_service.h"

#include <iterator>

namespace aqlm::ui {

namespace {
QString titleFrom(const QString& text) {
    QString title = text.simplified();
    if (title.size() > 48) title = title.left(47) + QChar(0x2026);
    return title;
}
}  // namespace

ChatConversation::ChatConversation(LibraryService* library) : m_library(library) {}

bool ChatConversation::write(const QString& failure, const std::function<void()>& call) {
    return m_library && m_library->guarded(failure, call);
}

void ChatConversation::reset() {
    m_chat.reset();
    answersEnded();
}

bool ChatConversation::open(qint64 chatId) {
    std::optional<aqlm::ChatRecord> chat;
    if (!m_library ||
        !m_library->guarded(tr("Could not read the conversation: %1"), [&] { chat = m_library->db().findChat(chatId); }) ||
        !chat)
        return false;
    m_chat = chat;
    answersEnded();
    return true;
}

bool ChatConversation::ensure(const ChatSetup& setup, const QString& firstText) {
    aqlm::ChatRecord wanted = m_chat.value_or(aqlm::ChatRecord{});
    wanted.modelId = setup.modelId;
    wanted.secondModelId = setup.secondModelId;
    wanted.systemPrompt = setup.systemPrompt.toStdString();
    wanted.mode = aqlm::chatModeName(setup.mode);
    std::optional<aqlm::ChatRecord> stored;
    const bool ok = write(tr("Could not save the conversation: %1"), [&] {
        if (!m_chat) {
            wanted.title =
                titleFrom(firstText.isEmpty() ? tr("Story with %1").arg(setup.modelName) : firstText).toStdString();
            wanted.id = m_library->db().createChat(wanted);
        } else if (wanted.modelId != m_chat->modelId || wanted.secondModelId != m_chat->secondModelId ||
                   wanted.systemPrompt != m_chat->systemPrompt || wanted.mode != m_chat->mode) {
            m_library->db().updateChat(wanted);
        }
        stored = m_library->db().findChat(wanted.id);
    });
    if (!ok) return false;
    m_chat = stored;
    return bool(m_chat);
}

bool ChatConversation::addUserMessage(const QString& text) {
    if (!m_chat) return false;
    aqlm::MessageRecord user;
    user.chatId = m_chat->id;
    user.role = aqlm::MessageRole::User;
    user.content = text.toStdString();
    return write(tr("Could not save your message: %1"), [&] { m_library->db().addMessage(user); });
}

bool ChatConversation::rename(const QString& title) {
    if (!m_chat || title.trimmed().isEmpty()) return false;
    std::optional<aqlm::ChatRecord> renamed;
    const bool ok = write(tr("Could not rename the conversation: %1"), [&] {
        m_library->db().renameChat(m_chat->id, title.trimmed().toStdString());
        renamed = m_library->db().findChat(m_chat->id);
    });
    if (ok) m_chat = renamed;
    return ok;
}

bool ChatConversation::clear() {
    if (!m_chat) return false;
    return write(tr("Could not clear the conversation: %1"), [&] { m_library->db().clearMessages(m_chat->id); });
}

bool ChatConversation::remove() {
    if (!m_chat) return false;
    bool deleted = false;
    if (!write(tr("Could not delete the conversation: %1"), [&] { deleted = m_library->db().deleteChat(m_chat->id); }))
        return false;  // still there: it stays open
    reset();
    return deleted;
}

std::vector<aqlm::MessageRecord> ChatConversation::messages() const {
    std::vector<aqlm::MessageRecord> out;
    if (m_chat && m_library)
        m_library->guarded(tr("Could not read the conversation: %1"),
                           [&] { out = m_library->db().listMessages(m_chat->id); });
    return out;
}

bool ChatConversation::lastIsAnswer() const {
    const auto all = messages();
    return !all.empty() && isAnswer(all.back());
}

bool ChatConversation::belongsToColumn(const aqlm::MessageRecord& m, int column) const {
    const std::optional<int64_t> second = m_chat ? m_chat->secondModelId : std::nullopt;
    const bool isSecond = second && m.modelId == second;
    return column == 1 ? isSecond : !isSecond;
}

std::vector<aqlm::ChatTurn> ChatConversation::turnsFor(int column, const std::vector<aqlm::MessageRecord>& messages) const {
    std::vector<aqlm::ChatTurn> turns;
    for (const aqlm::MessageRecord& m : messages) {
        if (isUserMessage(m)) turns.push_back({aqlm::ChatRole::User, m.content});
        else if (isAnswer(m) && belongsToColumn(m, column)) turns.push_back({aqlm::ChatRole::Assistant, m.content});
    }
    return turns;
}

std::vector<aqlm::ChatPrompt> ChatConversation::beginAnswers(int columns, bool regenerate) {
    std::vector<aqlm::ChatPrompt> prompts;
    if (!m_chat) return prompts;
    const std::vector<aqlm::MessageRecord> all = messages();
    m_regenerating = regenerate;
    for (int c = 0; c < columns && c < kColumns; ++c) {
        std::vector<aqlm::MessageRecord> history = all;
        m_replacedModel[c].reset();
        if (regenerate) {
            // Leave out the answer being replaced (this column's newest, after the last user turn).
            for (auto it = history.rbegin(); it != history.rend() && !isUserMessage(*it); ++it)
                if (isAnswer(*it) && belongsToColumn(*it, c)) {
                    m_replacedModel[c] = it->modelId;
                    history.erase(std::next(it).base());
                    break;
                }
        }
        aqlm::ChatPrompt prompt;
        prompt.systemPrompt = m_chat->systemPrompt;
        prompt.mode = aqlm::parseChatMode(m_chat->mode);
        prompt.turns = turnsFor(c, history);
        prompts.push_back(std::move(prompt));
    }
    return prompts;
}

bool ChatConversation::recordAnswer(int column, aqlm::MessageRecord answer) {
    if (!m_chat || column < 0 || column >= kColumns) return false;
    answer.chatId = m_chat->id;
    answer.role = aqlm::MessageRole::Assistant;
    if (answer.modelName.empty() && answer.modelId) answer.modelName = modelName(*answer.modelId).toStdString();
    const std::optional<int64_t> replaced = m_regenerating ? m_replacedModel[column] : std::nullopt;
    return write(tr("Could not save the answer: %1"), [&] {
        // A column that had no answer to replace (side by side switched on since) gets a new one.
        if (!replaced || !m_library->db().replaceLastAssistantMessage(m_chat->id, replaced, answer))
            m_library->db().addMessage(answer);
    });
}

void ChatConversation::answersEnded() {
    m_regenerating = false;
    m_replacedModel.fill(std::nullopt);
}

QVector<ChatEntry> ChatConversation::transcriptEntries(int column, const std::vector<aqlm::MessageRecord>& messages) const {
    QVector<ChatEntry> entries;
    for (const aqlm::MessageRecord& m : messages) {
        if (isUserMessage(m)) entries.push_back({true, QString::fromStdString(m.content), {}});
        else if (isAnswer(m) && belongsToColumn(m, column))
            entries.push_back({false, QString::fromStdString(m.content), statsLineFor(m), answerAuthor(m)});
    }
    return entries;
}

QString ChatConversation::answerAuthor(const aqlm::MessageRecord& m) const {
    // The model's current name while it is in the library; the name stored with the answer after.
    if (m.modelId && m_library) {
        std::optional<aqlm::ModelRecord> model;
        m_library->guarded(tr("Could not read the model library: %1"), [&] { model = m_library->db().findModel(*m.modelId); });
        if (model) return QString::fromStdString(model->name);
    }
    return m.modelName.empty() ? tr("(removed model)") : QString::fromStdString(m.modelName);
}

QString ChatConversation::modelName(qint64 modelId) const {
    if (!m_library) return {};
    std::optional<aqlm::ModelRecord> model;
    m_library->guarded(tr("Could not read the model library: %1"), [&] { model = m_library->db().findModel(modelId); });
    return model ? QString::fromStdString(model->name) : tr("(removed model)");
}

QString ChatConversation::statsLineFor(const aqlm::MessageRecord& m) const {
    if (!isAnswer(m) || (m.tokens == 0 && m.tokensPerSecond == 0)) return {};
    qint64 context = 0;
    if (m.modelId && m_library)
        m_library->guarded(tr("Could not read the model library: %1"), [&] {
            if (const auto model = m_library->db().findModel(*m.modelId)) context = model->context;
        });
    return answerStatsLine(m.tokensPerSecond, m.firstTokenMs, m.contextUsed, context, QString::fromStdString(m.kernel));
}

}  // namespace aqlm::ui
