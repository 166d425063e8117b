// Chats in the model library: create, rename, update, list newest first, messages with answer
// statistics (NULL for user turns), regenerate replacing the last answer per model, clear, delete
// cascading to messages, a model's deletion cascading to its chats, unknown roles refused.
#include "engine/api/engine_error.h"
#include "engine/library/model_library.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <sqlite3.h>

using namespace aqlm;

namespace {

int64_t addModel(ModelLibrary& lib, const std::string& path) {
    ModelRecord m;
    m.name = path;
    m.path = path;
    m.format = "llama2c";
    return lib.addModel(m);
}

MessageRecord answer(int64_t chatId, int64_t modelId, const std::string& text, double tps) {
    MessageRecord m;
    m.chatId = chatId;
    m.role = MessageRole::Assistant;
    m.content = text;
    m.modelId = modelId;
    m.tokensPerSecond = tps;
    m.firstTokenMs = 12.5;
    m.tokens = 7;
    m.contextUsed = 30;
    m.kernel = "dense fp32 on CPU";
    return m;
}

MessageRecord userTurn(int64_t chatId, const std::string& text) {
    MessageRecord m;
    m.chatId = chatId;
    m.role = MessageRole::User;
    m.content = text;
    return m;
}

int64_t countRows(const std::string& dbPath, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open(dbPath.c_str(), &db);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    const int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
}

}  // namespace

class TestModelLibraryChats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QString("lib%1.sqlite3").arg(m_count++)).toStdString();
    }

    void chatsRoundTripAndListNewestFirst() {
        ModelLibrary lib(m_path);
        const int64_t a = addModel(lib, "/m/a.bin"), b = addModel(lib, "/m/b.bin");
        ChatRecord c;
        c.modelId = a;
        c.title = "first";
        c.systemPrompt = "Be brief.";
        c.mode = "continue";
        c.createdAt = 1000;
        const int64_t first = lib.createChat(c);
        c.title = "second";
        c.secondModelId = b;
        c.createdAt = 2000;
        const int64_t second = lib.createChat(c);

        auto chats = lib.listChats();
        QCOMPARE(chats.size(), size_t(2));
        QCOMPARE(chats[0].id, second);
        QCOMPARE(chats[0].secondModelId, std::optional<int64_t>(b));
        QCOMPARE(chats[1].title, std::string("first"));
        QCOMPARE(chats[1].systemPrompt, std::string("Be brief."));
        QCOMPARE(chats[1].mode, std::string("continue"));
        QVERIFY(!chats[1].secondModelId);
        QCOMPARE(chats[1].updatedAt, int64_t(1000));

        lib.renameChat(first, "renamed");
        QCOMPARE(lib.findChat(first)->title, std::string("renamed"));
        // A message makes the older chat the newest.
        MessageRecord u = userTurn(first, "Once upon a time");
        u.createdAt = 3000;
        lib.addMessage(u);
        QCOMPARE(lib.listChats().front().id, first);

        ChatRecord changed = *lib.findChat(first);
        changed.systemPrompt = "";
        changed.mode = "chat";
        changed.secondModelId = b;
        lib.updateChat(changed);
        const ChatRecord reread = *lib.findChat(first);
        QCOMPARE(reread.mode, std::string("chat"));
        QCOMPARE(reread.secondModelId, std::optional<int64_t>(b));
        QCOMPARE(reread.title, std::string("renamed"));
        QVERIFY_THROWS_EXCEPTION(EngineError, lib.renameChat(9999, "x"));
    }

    void messagesKeepStatisticsAndRegenerateReplaces() {
        ModelLibrary lib(m_path);
        const int64_t a = addModel(lib, "/m/a.bin"), b = addModel(lib, "/m/b.bin");
        ChatRecord c;
        c.modelId = a;
        c.secondModelId = b;
        const int64_t chat = lib.createChat(c);
        lib.addMessage(userTurn(chat, "Hello"));
        lib.addMessage(answer(chat, a, "from a", 100));
        lib.addMessage(answer(chat, b, "from b", 200));

        auto messages = lib.listMessages(chat);
        QCOMPARE(messages.size(), size_t(3));
        QCOMPARE(messages[0].role, MessageRole::User);
        QCOMPARE(messages[0].tokensPerSecond, 0.0);
        QVERIFY(!messages[0].modelId);
        QCOMPARE(messages[1].content, std::string("from a"));
        QCOMPARE(messages[1].tokensPerSecond, 100.0);
        QCOMPARE(messages[1].firstTokenMs, 12.5);
        QCOMPARE(messages[1].tokens, int64_t(7));
        QCOMPARE(messages[1].contextUsed, int64_t(30));
        QCOMPARE(messages[1].kernel, std::string("dense fp32 on CPU"));
        QCOMPARE(messages[2].modelId, std::optional<int64_t>(b));
        // User turns carry no statistics in the table (NULL, not zero).
        QCOMPARE(countRows(m_path, "SELECT COUNT(*) FROM messages WHERE role = 'user' AND tokens_per_second IS NULL"),
                 int64_t(1));

        // Regenerating model a's answer leaves b's alone and adds no row.
        QVERIFY(lib.replaceLastAssistantMessage(chat, a, answer(chat, a, "again from a", 150)));
        messages = lib.listMessages(chat);
        QCOMPARE(messages.size(), size_t(3));
        QCOMPARE(messages[1].content, std::string("again from a"));
        QCOMPARE(messages[1].tokensPerSecond, 150.0);
        QCOMPARE(messages[2].content, std::string("from b"));
        // Without a model the newest answer is replaced.
        QVERIFY(lib.replaceLastAssistantMessage(chat, std::nullopt, answer(chat, b, "again from b", 250)));
        QCOMPARE(lib.listMessages(chat)[2].content, std::string("again from b"));

        // Only answers to the last user turn are regenerated.
        lib.addMessage(userTurn(chat, "And then?"));
        QVERIFY(!lib.replaceLastAssistantMessage(chat, a, answer(chat, a, "too old", 1)));
        QCOMPARE(lib.listMessages(chat)[1].content, std::string("again from a"));
        lib.addMessage(answer(chat, a, "then a", 100));
        QVERIFY(lib.replaceLastAssistantMessage(chat, a, answer(chat, b, "then b instead", 100)));
        QCOMPARE(lib.listMessages(chat)[4].content, std::string("then b instead"));
        QCOMPARE(lib.listMessages(chat)[4].modelId, std::optional<int64_t>(b));

        const int64_t empty = lib.createChat(c);
        QVERIFY(!lib.replaceLastAssistantMessage(empty, std::nullopt, answer(empty, a, "x", 1)));
        // Roles are typed; text from the database that names no role is refused.
        QVERIFY_THROWS_EXCEPTION(EngineError, parseMessageRole("tool"));
        QCOMPARE(parseMessageRole(messageRoleName(MessageRole::System)), MessageRole::System);

        lib.clearMessages(chat);
        QVERIFY(lib.listMessages(chat).empty());
        QVERIFY(lib.findChat(chat));
    }

    void deletionCascades() {
        ModelLibrary lib(m_path);
        const int64_t a = addModel(lib, "/m/a.bin");
        ChatRecord c;
        c.modelId = a;
        const int64_t chat = lib.createChat(c);
        lib.addMessage(userTurn(chat, "Hi"));
        lib.addMessage(answer(chat, a, "Hello", 10));
        QVERIFY(lib.deleteChat(chat));
        QVERIFY(!lib.deleteChat(chat));
        QVERIFY(!lib.findChat(chat));
        QCOMPARE(countRows(m_path, "SELECT COUNT(*) FROM messages"), int64_t(0));

        const int64_t other = lib.createChat(c);
        lib.addMessage(userTurn(other, "Hi"));
        QVERIFY(lib.deleteModel(a));
        QVERIFY(lib.listChats().empty());
        QCOMPARE(countRows(m_path, "SELECT COUNT(*) FROM messages"), int64_t(0));
    }

    // Issue 15.9: an answer keeps the name of the model that wrote it after that model is deleted.
    void answersKeepTheirModelsName() {
        ModelLibrary lib(m_path);
        const int64_t a = addModel(lib, "/m/a.bin");
        const int64_t b = addModel(lib, "/m/b.bin");
        ChatRecord c;
        c.modelId = a;
        c.secondModelId = b;
        const int64_t chat = lib.createChat(c);
        lib.addMessage(userTurn(chat, "Hi"));
        MessageRecord fromB = answer(chat, b, "Hello from b", 5);
        fromB.modelName = "b 2x8g8";
        lib.addMessage(fromB);
        QCOMPARE(lib.listMessages(chat).at(1).modelName, std::string("b 2x8g8"));
        // Regenerating without a name keeps the stored one.
        MessageRecord again = answer(chat, b, "Hello again", 6);
        QVERIFY(lib.replaceLastAssistantMessage(chat, b, again));
        QCOMPARE(lib.listMessages(chat).at(1).modelName, std::string("b 2x8g8"));
        QVERIFY(lib.deleteModel(b));
        const std::vector<MessageRecord> messages = lib.listMessages(chat);
        QCOMPARE(messages.size(), size_t(2));
        QVERIFY(!messages.at(1).modelId);
        QCOMPARE(messages.at(1).modelName, std::string("b 2x8g8"));
        QCOMPARE(messages.at(1).content, std::string("Hello again"));
    }

private:
    QTemporaryDir m_dir;
    std::string m_path;
    int m_count = 0;
};

QTEST_GUILESS_MAIN(TestModelLibraryChats)
#include "tst_model_library_chats.moc"
