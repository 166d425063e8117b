// ModelLibrary: chats and their messages (schema v2: chats, messages with per-answer statistics).
#include "engine/api/engine_error.h"
#include "engine/library/model_library.h"
#include "engine/library/sqlite_db.h"

namespace aqlm {
const char* messageRoleName(MessageRole role) {
    switch (role) {
    case MessageRole::System: return "system";
    case MessageRole::User: return "user";
    case MessageRole::Assistant: return "assistant";
    }
    return "user";
}

MessageRole parseMessageRole(const std::string& text) {
    for (MessageRole r : {MessageRole::System, MessageRole::User, MessageRole::Assistant})
        if (text == messageRoleName(r)) return r;
    throw EngineError("", "unknown message role '" + text + "'", "expected system, user or assistant");
}

namespace {

const char* kChatSelect =
    "SELECT id, model_id, second_model_id, title, system_prompt, mode, created_at, updated_at FROM chats ";

ChatRecord readChat(const SqlStatement& q) {
    ChatRecord c;
    c.id = q.columnInt(0);
    c.modelId = q.columnInt(1);
    c.secondModelId = q.columnOptionalInt(2);
    c.title = q.columnText(3);
    c.systemPrompt = q.columnText(4);
    c.mode = q.columnText(5);
    c.createdAt = q.columnInt(6);
    c.updatedAt = q.columnInt(7);
    return c;
}

// Statistics are NULL for messages that are not answers.
const char* kMessageSelect =
    "SELECT id, chat_id, role, content, model_id, COALESCE(tokens_per_second, 0), "
    "COALESCE(first_token_ms, 0), COALESCE(tokens, 0), COALESCE(context_used, 0), COALESCE(kernel, ''), "
    "created_at, model_name FROM messages ";

MessageRecord readMessage(const SqlStatement& q) {
    MessageRecord m;
    m.id = q.columnInt(0);
    m.chatId = q.columnInt(1);
    m.role = parseMessageRole(q.columnText(2));
    m.content = q.columnText(3);
    m.modelId = q.columnOptionalInt(4);
    m.tokensPerSecond = q.columnDouble(5);
    m.firstTokenMs = q.columnDouble(6);
    m.tokens = q.columnInt(7);
    m.contextUsed = q.columnInt(8);
    m.kernel = q.columnText(9);
    m.createdAt = q.columnInt(10);
    m.modelName = q.columnText(11);
    return m;
}

void touchChat(sqlite3* db, const std::string& dbPath, int64_t chatId, int64_t time) {
    SqlStatement q(db, dbPath, "UPDATE chats SET updated_at = ?2 WHERE id = ?1");
    q.bindInt(1, chatId).bindInt(2, time);
    q.run();
}

// Binds ?first .. ?first+5: is-answer flag, tokens/s, first token ms, tokens, context used, kernel.
void bindAnswerStats(SqlStatement& q, int first, const MessageRecord& m) {
    q.bindInt(first, m.role == MessageRole::Assistant ? 1 : 0).bindDouble(first + 1, m.tokensPerSecond)
        .bindDouble(first + 2, m.firstTokenMs).bindInt(first + 3, m.tokens).bindInt(first + 4, m.contextUsed)
        .bindText(first + 5, m.kernel);
}

}  // namespace

int64_t ModelLibrary::createChat(const ChatRecord& chat) {
    SqlTransaction tx(m_db, m_dbPath);
    const int64_t created = chat.createdAt ? chat.createdAt : now();
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO chats (model_id, second_model_id, title, system_prompt, mode, created_at, "
                   "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    q.bindInt(1, chat.modelId).bindOptionalInt(2, chat.secondModelId).bindText(3, chat.title)
        .bindText(4, chat.systemPrompt).bindText(5, chat.mode).bindInt(6, created)
        .bindInt(7, chat.updatedAt ? chat.updatedAt : created);
    q.run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    tx.commit();
    return id;
}

void ModelLibrary::renameChat(int64_t chatId, const std::string& title) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath, "UPDATE chats SET title = ?2 WHERE id = ?1");
    q.bindInt(1, chatId).bindText(2, title);
    q.run();
    if (sqlite3_changes(m_db) == 0) throw EngineError(m_dbPath, "no chat with id " + std::to_string(chatId));
    tx.commit();
}

void ModelLibrary::updateChat(const ChatRecord& chat) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath,
                   "UPDATE chats SET model_id = ?2, second_model_id = ?3, system_prompt = ?4, mode = ?5, "
                   "updated_at = ?6 WHERE id = ?1");
    q.bindInt(1, chat.id).bindInt(2, chat.modelId).bindOptionalInt(3, chat.secondModelId)
        .bindText(4, chat.systemPrompt).bindText(5, chat.mode).bindInt(6, now());
    q.run();
    if (sqlite3_changes(m_db) == 0) throw EngineError(m_dbPath, "no chat with id " + std::to_string(chat.id));
    tx.commit();
}

bool ModelLibrary::deleteChat(int64_t chatId) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath, "DELETE FROM chats WHERE id = ?1");
    q.bindInt(1, chatId);
    q.run();
    const bool deleted = sqlite3_changes(m_db) > 0;
    tx.commit();
    return deleted;
}

std::optional<ChatRecord> ModelLibrary::findChat(int64_t chatId) const {
    SqlStatement q(m_db, m_dbPath, (std::string(kChatSelect) + "WHERE id = ?1").c_str());
    q.bindInt(1, chatId);
    if (!q.step()) return std::nullopt;
    return readChat(q);
}

std::vector<ChatRecord> ModelLibrary::listChats() const {
    SqlStatement q(m_db, m_dbPath, (std::string(kChatSelect) + "ORDER BY updated_at DESC, id DESC").c_str());
    std::vector<ChatRecord> chats;
    while (q.step()) chats.push_back(readChat(q));
    return chats;
}

int64_t ModelLibrary::addMessage(const MessageRecord& message) {
    SqlTransaction tx(m_db, m_dbPath);
    const int64_t created = message.createdAt ? message.createdAt : now();
    SqlStatement q(m_db, m_dbPath,
                   "INSERT INTO messages (chat_id, role, content, model_id, created_at, tokens_per_second, "
                   "first_token_ms, tokens, context_used, kernel, model_name) VALUES (?1, ?2, ?3, ?4, ?5, "
                   "CASE WHEN ?6 THEN ?7 END, CASE WHEN ?6 THEN ?8 END, CASE WHEN ?6 THEN ?9 END, "
                   "CASE WHEN ?6 THEN ?10 END, CASE WHEN ?6 THEN ?11 END, ?12)");
    q.bindInt(1, message.chatId).bindText(2, messageRoleName(message.role)).bindText(3, message.content)
        .bindOptionalInt(4, message.modelId).bindInt(5, created);
    bindAnswerStats(q, 6, message);
    q.bindText(12, message.modelName);
    q.run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    touchChat(m_db, m_dbPath, message.chatId, created);
    tx.commit();
    return id;
}

bool ModelLibrary::replaceLastAssistantMessage(int64_t chatId, std::optional<int64_t> modelId,
                                               const MessageRecord& message) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement find(m_db, m_dbPath,
                      "SELECT id FROM messages WHERE chat_id = ?1 AND role = 'assistant' "
                      "AND (?2 IS NULL OR model_id = ?2) AND id > COALESCE((SELECT MAX(id) FROM messages "
                      "WHERE chat_id = ?1 AND role = 'user'), 0) ORDER BY id DESC LIMIT 1");
    find.bindInt(1, chatId).bindOptionalInt(2, modelId);
    if (!find.step()) return false;
    const int64_t id = find.columnInt(0);
    MessageRecord answer = message;
    answer.role = MessageRole::Assistant;
    const int64_t time = message.createdAt ? message.createdAt : now();
    SqlStatement q(m_db, m_dbPath,
                   "UPDATE messages SET content = ?2, model_id = COALESCE(?3, model_id), created_at = ?4, "
                   "tokens_per_second = ?6, first_token_ms = ?7, tokens = ?8, context_used = ?9, kernel = ?10, "
                   "model_name = CASE WHEN ?11 = '' THEN model_name ELSE ?11 END WHERE id = ?1 AND ?5");
    q.bindInt(1, id).bindText(2, answer.content).bindOptionalInt(3, answer.modelId).bindInt(4, time);
    bindAnswerStats(q, 5, answer);
    q.bindText(11, answer.modelName);
    q.run();
    touchChat(m_db, m_dbPath, chatId, time);
    tx.commit();
    return true;
}

std::vector<MessageRecord> ModelLibrary::listMessages(int64_t chatId) const {
    SqlStatement q(m_db, m_dbPath, (std::string(kMessageSelect) + "WHERE chat_id = ?1 ORDER BY id").c_str());
    q.bindInt(1, chatId);
    std::vector<MessageRecord> messages;
    while (q.step()) messages.push_back(readMessage(q));
    return messages;
}

void ModelLibrary::clearMessages(int64_t chatId) {
    SqlTransaction tx(m_db, m_dbPath);
    SqlStatement q(m_db, m_dbPath, "DELETE FROM messages WHERE chat_id = ?1");
    q.bindInt(1, chatId);
    q.run();
    touchChat(m_db, m_dbPath, chatId, now());
    tx.commit();
}

}  // namespace aqlm
