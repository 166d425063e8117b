// ChatConversation, the Chat page's widget-free model, on a temporary library: creating and
// updating the chat, titles, which answers each column sees (side by side), Regenerate leaving out
// and then replacing the answer in place, transcript lines with statistics, rename / clear /
// delete, and writes the library refuses (reported, nothing thrown).
#include "widgets/chat/chat_conversation.h"
#include "widgets/chat/chat_markdown.h"
#include "widgets/chat/chat_transcript.h"
#include "widgets/core/library_service.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QtTest/QtTest>

#include "library_write_refusal.h"

#include <memory>

using namespace aqlm;
using namespace aqlm::ui;

namespace {
MessageRecord answerFrom(int64_t modelId, const std::string& content, int64_t tokens = 0) {
    MessageRecord m;
    m.modelId = modelId;
    m.content = content;
    m.tokens = tokens;
    m.tokensPerSecond = tokens ? 42.5 : 0;
    m.contextUsed = tokens ? 100 : 0;
    m.kernel = tokens ? "dense fp32 on CPU" : "";
    return m;
}

std::vector<std::string> contents(const std::vector<ChatTurn>& turns) {
    std::vector<std::string> out;
    for (const ChatTurn& t : turns) out.push_back((t.role == ChatRole::User ? "u:" : "a:") + t.content);
    return out;
}
}  // namespace

class TestChatConversation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        QVERIFY(m_dir.isValid());
        m_library = std::make_unique<LibraryService>(m_dir.filePath(QStringLiteral("lib%1.sqlite").arg(++m_libraries)));
        for (const char* name : {"first", "second"}) {
            ModelRecord m;
            m.name = name;
            m.path = std::string("/models/") + name + ".bin";
            m.context = 512;
            (m_first ? m_second : m_first) = m_library->db().addModel(m);
        }
    }
    void cleanup() {
        m_library.reset();
        m_first = m_second = 0;
    }

    void ensureCreatesOnceThenStoresChanges() {
        ChatConversation c(m_library.get());
        QVERIFY(!c.isOpen());
        QVERIFY(c.messages().empty());
        ChatSetup setup;
        setup.modelId = m_first;
        setup.modelName = "first";
        const QString longText = QString(60, QLatin1Char('x'));
        QVERIFY(c.ensure(setup, longText));
        QVERIFY(c.isOpen());
        const qint64 id = c.id();
        QCOMPARE(QString::fromStdString(c.chat()->title), QString(47, QLatin1Char('x')) + QChar(0x2026));
        QCOMPARE(c.chat()->mode, std::string("chat"));
        setup.mode = ChatMode::Continue;
        setup.systemPrompt = "be brief";
        setup.secondModelId = m_second;
        QVERIFY(c.ensure(setup, "ignored once the chat exists"));
        QCOMPARE(c.id(), id);
        const auto stored = m_library->db().findChat(id);
        QCOMPARE(stored->mode, std::string("continue"));
        QCOMPARE(stored->systemPrompt, std::string("be brief"));
        QCOMPARE(stored->secondModelId, std::optional<int64_t>(m_second));
        QCOMPARE(stored->title, c.chat()->title);
        QCOMPARE(m_library->db().listChats().size(), size_t(1));

        c.reset();
        QVERIFY(c.ensure(setup, {}));  // a story started without text
        QCOMPARE(c.chat()->title, std::string("Story with first"));
        QVERIFY(c.open(id));
        QCOMPARE(c.id(), id);
        QVERIFY(!c.open(id + 100));
        QCOMPARE(c.id(), id);
    }

    void columnsSeeTheirOwnAnswers() {
        ChatConversation c(m_library.get());
        QVERIFY(openSideBySide(c));
        QVERIFY(c.addUserMessage("q1"));
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a1")));
        QVERIFY(c.recordAnswer(1, answerFrom(m_second, "b1")));
        QVERIFY(c.addUserMessage("q2"));
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a2")));
        QVERIFY(c.recordAnswer(1, answerFrom(m_second, "b2")));
        const auto all = c.messages();
        QCOMPARE(all.size(), size_t(6));
        QCOMPARE(contents(c.turnsFor(0, all)), (std::vector<std::string>{"u:q1", "a:a1", "u:q2", "a:a2"}));
        QCOMPARE(contents(c.turnsFor(1, all)), (std::vector<std::string>{"u:q1", "a:b1", "u:q2", "a:b2"}));
        QVERIFY(c.lastIsAnswer());

        // A Send: the prompts hold the whole history, with the chat's system prompt and mode.
        QVERIFY(c.addUserMessage("q3"));
        QVERIFY(!c.lastIsAnswer());
        const auto prompts = c.beginAnswers(2, false);
        QCOMPARE(prompts.size(), size_t(2));
        QCOMPARE(prompts[1].turns.back().content, std::string("q3"));
        QCOMPARE(prompts[1].systemPrompt, std::string("be brief"));
        QCOMPARE(prompts[1].mode, ChatMode::Chat);
        QCOMPARE(c.beginAnswers(1, false).size(), size_t(1));  // side by side off: one column
    }

    void regenerateReplacesInPlace() {
        ChatConversation c(m_library.get());
        QVERIFY(openSideBySide(c));
        QVERIFY(c.addUserMessage("q1"));
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a1")));
        QVERIFY(c.recordAnswer(1, answerFrom(m_second, "b1")));
        const auto prompts = c.beginAnswers(2, true);
        QCOMPARE(contents(prompts[0].turns), (std::vector<std::string>{"u:q1"}));
        QCOMPARE(contents(prompts[1].turns), (std::vector<std::string>{"u:q1"}));
        QVERIFY(c.recordAnswer(1, answerFrom(m_second, "b1'")));
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a1'")));
        c.answersEnded();
        auto all = c.messages();
        QCOMPARE(all.size(), size_t(3));
        QCOMPARE(all[1].content, std::string("a1'"));
        QCOMPARE(all[1].modelId, std::optional<int64_t>(m_first));
        QCOMPARE(all[2].content, std::string("b1'"));
        // After the answers ended an answer is new again.
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a1''")));
        QCOMPARE(c.messages().size(), size_t(4));
    }

    void regenerateAddsWhereAColumnHadNoAnswer() {
        ChatConversation c(m_library.get());
        ChatSetup setup;
        setup.modelId = m_first;
        QVERIFY(c.ensure(setup, "q1"));
        QVERIFY(c.addUserMessage("q1"));
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a1")));
        setup.secondModelId = m_second;  // side by side switched on since
        QVERIFY(c.ensure(setup, {}));
        const auto prompts = c.beginAnswers(2, true);
        QCOMPARE(contents(prompts[0].turns), (std::vector<std::string>{"u:q1"}));
        QCOMPARE(contents(prompts[1].turns), (std::vector<std::string>{"u:q1"}));
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a1'")));
        QVERIFY(c.recordAnswer(1, answerFrom(m_second, "b1")));
        c.answersEnded();
        const auto all = c.messages();
        QCOMPARE(all.size(), size_t(3));
        QCOMPARE(all[1].content, std::string("a1'"));
        QCOMPARE(all[2].content, std::string("b1"));
    }

    void transcriptEntriesCarryStatistics() {
        ChatConversation c(m_library.get());
        QVERIFY(openSideBySide(c));
        QVERIFY(c.addUserMessage("q1"));
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a1", 20)));
        QVERIFY(c.recordAnswer(1, answerFrom(m_second, "b1")));
        const auto all = c.messages();
        const QVector<ChatEntry> left = c.transcriptEntries(0, all);
        QCOMPARE(left.size(), 2);
        QVERIFY(left[0].fromUser);
        QCOMPARE(left[0].text, QStringLiteral("q1"));
        QVERIFY(left[0].statsLine.isEmpty());
        QVERIFY(!left[1].fromUser);
        QCOMPARE(left[1].text, QStringLiteral("a1"));
        QVERIFY2(left[1].statsLine.contains("42.5 tok/s") && left[1].statsLine.contains("/512"),
                 qPrintable(left[1].statsLine));
        const QVector<ChatEntry> right = c.transcriptEntries(1, all);
        QCOMPARE(right.size(), 2);
        QCOMPARE(right[1].text, QStringLiteral("b1"));
        QVERIFY(right[1].statsLine.isEmpty());  // no statistics stored
        QCOMPARE(c.modelName(m_second), QStringLiteral("second"));
        QCOMPARE(c.modelName(m_second + 100), QStringLiteral("(removed model)"));
    }

    // Issue 15.9: after a variant is deleted, its old answers still say it wrote them (transcript,
    // Markdown export), with the name stored when it answered.
    void answersKeepTheirAuthorAfterTheModelIsDeleted() {
        ChatConversation c(m_library.get());
        QVERIFY(openSideBySide(c));
        QVERIFY(c.addUserMessage("q1"));
        QVERIFY(c.recordAnswer(0, answerFrom(m_first, "a1", 20)));
        QVERIFY(c.recordAnswer(1, answerFrom(m_second, "b1")));
        QCOMPARE(c.messages().back().modelName, std::string("second"));
        QVERIFY(m_library->db().deleteModel(m_second));
        const auto all = c.messages();
        QStringList authors;
        for (int column = 0; column < 2; ++column)
            for (const ChatEntry& e : c.transcriptEntries(column, all))
                if (!e.fromUser) authors << e.author + ":" + e.text;
        QVERIFY2(authors.contains("first:a1") && authors.contains("second:b1"), qPrintable(authors.join(", ")));
        const QString markdown = chatToMarkdown(*c.chat(), all, [&c](qint64 id) { return c.modelName(id); });
        QVERIFY2(markdown.contains("## second\n\nb1"), qPrintable(markdown));

        ChatTranscript transcript;
        transcript.setAnswerName("first");
        transcript.setEntries(c.transcriptEntries(0, all));
        QVERIFY2(transcript.plainText().contains("second"), qPrintable(transcript.plainText()));
    }

    // Issue 15.11: finished answers render Markdown: headings, lists, code blocks in monospace with a
    // copy link; what the user typed stays as typed.
    void answersRenderMarkdown() {
        ChatTranscript transcript;
        const QString answer = QStringLiteral("# Plan\n\nSome **bold** words.\n\n- one\n- two\n\n```cpp\nint x = 1;\nreturn x;\n```\n");
        transcript.setEntries({{true, QStringLiteral("# not a heading"), {}, {}}, {false, answer, QStringLiteral("12 tok/s"), {}}});
        QTextDocument* doc = transcript.view()->document();
        bool heading = false, list = false, code = false, userHeading = false;
        for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
            if (b.text() == "Plan" && b.blockFormat().headingLevel() == 1) heading = true;
            if (b.text() == "one" && b.textList()) list = true;
            if (b.text().contains("int x = 1;")) {
                const QTextCharFormat f = b.begin().fragment().charFormat();
                code = f.fontFixedPitch() || f.fontFamilies().toStringList().join(' ').contains("monospace", Qt::CaseInsensitive) ||
                       b.blockFormat().nonBreakableLines();
            }
            if (b.text() == "# not a heading") userHeading = true;
        }
        QVERIFY(heading);
        QVERIFY(list);
        QVERIFY(code);
        QVERIFY(userHeading);
        QVERIFY(!transcript.plainText().contains("**"));
        QCOMPARE(transcript.codeBlocks(), QStringList{"int x = 1;\nreturn x;"});
        QVERIFY(doc->toHtml().contains("copy:0"));
        QVERIFY(transcript.copyCodeBlock(0));
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("int x = 1;\nreturn x;"));
        QVERIFY(!transcript.copyCodeBlock(1));
        // A model's single newline stays a line break, not a space.
        transcript.setEntries({{false, QStringLiteral("line one\nline two"), {}, {}}});
        QVERIFY2(!transcript.plainText().contains("line one line two"), qPrintable(transcript.plainText()));
    }

    void renameClearRemove() {
        ChatConversation c(m_library.get());
        QVERIFY(openSideBySide(c));
        QVERIFY(c.addUserMessage("q1"));
        QVERIFY(!c.rename("   "));
        QVERIFY(c.rename("  Trees  "));
        QCOMPARE(c.chat()->title, std::string("Trees"));
        QCOMPARE(m_library->db().findChat(c.id())->title, std::string("Trees"));
        QVERIFY(c.clear());
        QVERIFY(c.messages().empty());
        QVERIFY(c.isOpen());
        const qint64 id = c.id();
        QVERIFY(c.remove());
        QVERIFY(!c.isOpen());
        QVERIFY(!m_library->db().findChat(id));
        QVERIFY(!c.rename("x"));
        QVERIFY(!c.addUserMessage("x"));
    }

    void refusedWritesAreReported() {
        ChatConversation c(m_library.get());
        QVERIFY(openSideBySide(c));
        QVERIFY(c.addUserMessage("q1"));
        QSignalSpy failed(m_library.get(), &LibraryService::failed);
        refuseLibraryWrites(m_library->path().toStdString(), {"chats", "messages"});
        QVERIFY(!c.addUserMessage("q2"));
        QVERIFY(!c.recordAnswer(0, answerFrom(m_first, "a1")));
        QVERIFY(!c.rename("Trees"));
        QVERIFY(!c.clear());
        QVERIFY(!c.remove());
        QVERIFY(c.isOpen());
        ChatConversation fresh(m_library.get());
        ChatSetup setup;
        setup.modelId = m_first;
        QVERIFY(!fresh.ensure(setup, "hello"));
        QVERIFY(!fresh.isOpen());
        QCOMPARE(failed.size(), 6);
        QVERIFY2(failed[0].at(0).toString().startsWith("Could not save your message: "),
                 qPrintable(failed[0].at(0).toString()));
        QVERIFY(failed[1].at(0).toString().startsWith("Could not save the answer: "));
        QVERIFY(failed[5].at(0).toString().startsWith("Could not save the conversation: "));
        QCOMPARE(c.messages().size(), size_t(1));
    }

private:
    // Opens a new side-by-side chat of the two models with the system prompt "be brief".
    bool openSideBySide(ChatConversation& c) {
        ChatRecord chat;
        chat.modelId = m_first;
        chat.secondModelId = m_second;
        chat.systemPrompt = "be brief";
        return c.open(m_library->db().createChat(chat));
    }

    QTemporaryDir m_dir;
    int m_libraries = 0;
    std::unique_ptr<LibraryService> m_library;
    int64_t m_first = 0, m_second = 0;
};

QTEST_MAIN(TestChatConversation)
#include "tst_chat_conversation.moc"
