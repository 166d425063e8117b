// The Chat page with the real stories260K model on a fresh library (AQLM_STUDIO_DATA in a temporary
// folder): answers stream into the view in several updates and are stored with their statistics;
// updates are merged by the interval; Stop ends an answer early (a prefix of the full answer with
// the same seed) with the UI still answering; Regenerate replaces the answer in place; a new page and
// controller list and reopen the conversation and export it; side by side gives two answers.
#include "widgets/chat/chat_controller.h"
#include "widgets/chat/chat_page.h"
#include "widgets/chat/chat_transcript.h"
#include "widgets/chat/model_picker.h"
#include "widgets/chat/sampling_panel.h"
#include "widgets/core/app_settings.h"
#include "widgets/core/library_service.h"

#include "shared_paths.h"

#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QtTest/QtTest>

#include "isolated_settings.h"

#include <memory>

using namespace aqlm;
using namespace aqlm::ui;
using namespace aqlm::test;

namespace {
const char* kModel = "models/stories260K/stories260K.bin";
constexpr int kWaitMs = 300000;

bool waitReady(ChatPage& page, QSignalSpy& ready, int column) {
    for (;;) {
        for (const QList<QVariant>& args : ready)
            if (args.at(0).toInt() == column) return true;
        if (!ready.wait(kWaitMs)) return false;
    }
}

std::vector<MessageRecord> answersOf(ModelLibrary& db, int64_t chatId) {
    std::vector<MessageRecord> answers;
    for (const MessageRecord& m : db.listMessages(chatId))
        if (m.role == aqlm::MessageRole::Assistant) answers.push_back(m);
    return answers;
}
}  // namespace

class TestChatPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        isolateUserSettings(m_dir);
        qputenv("AQLM_STUDIO_DATA", m_dir.filePath("data").toUtf8());
        if (!sharedExists(kModel)) return;
        m_library = std::make_unique<LibraryService>(AppSettings::libraryPath());
        ModelRecord m;
        m.name = "stories260K";
        m.path = sharedPath(kModel);
        m.format = "llama2c";
        m.context = 512;
        m_modelA = m_library->db().addModel(m);
        // The same weights under another path: a second library model for side by side (copies:
        // a model folder's files may not lead outside it).
        QVERIFY(QDir().mkpath(m_dir.filePath("copy")));
        const QString source = QFileInfo(QString::fromStdString(sharedPath(kModel))).absolutePath();
        for (const char* name : {"stories260K.bin", "tok512.bin", "tok512.model"})
            QVERIFY(QFile::copy(source + "/" + name, m_dir.filePath(QString("copy/") + name)));
        m.name = "stories260K (copy)";
        m.path = m_dir.filePath("copy/stories260K.bin").toStdString();
        m_modelB = m_library->db().addModel(m);
    }

    // Issue 15.5: with no models the Chat page says where they come from.
    void emptyLibraryShowsAHint() {
        QTemporaryDir dir;
        LibraryService empty(dir.filePath("empty.sqlite3"));
        ChatPage page(&empty);
        QVERIFY2(page.noticeLabel()->text().contains("No models to chat with yet"), qPrintable(page.noticeLabel()->text()));
        QVERIFY(page.noticeLabel()->text().contains("Library page"));
    }

    void streamsIntoTheViewAndStores() {
        AQLM_REQUIRE_SHARED(kModel);
        ChatPage page(m_library.get());
        page.controller()->setUpdateIntervalMs(0);
        QSignalSpy ready(&page, &ChatPage::modelReady);
        QVERIFY(page.modelPicker(0)->selectModel(m_modelA));
        QVERIFY(waitReady(page, ready, 0));
        // stories260K has no chat template: the page offers to continue the story.
        QCOMPARE(page.mode(), ChatMode::Continue);
        // The memory estimate that let the model open, next to what the machine has.
        const auto summary = ready.last().at(1).value<ChatModelSummary>();
        QVERIFY(summary.memoryNeeded > 0 && summary.memoryAvailable > 0);
        bool shown = false;
        for (const QLabel* label : page.findChildren<QLabel*>()) shown = shown || label->text().contains("Memory: about");
        QVERIFY(shown);
        page.samplingPanel()->setValues(1.0f, 0, 1.0f, 1.0f, 200, 7);

        int streamedWhileBusy = 0;
        auto counter = connect(page.controller(), &ChatController::textArrived, this, [&] {
            if (page.isBusy() && page.transcript(0)->isStreaming() && page.stopButton()->isEnabled()) ++streamedWhileBusy;
        });
        QSignalSpy pieces(page.controller(), &ChatController::textArrived);
        QSignalSpy finished(&page, &ChatPage::answersFinished);
        page.input()->setPlainText("Once upon a time");
        QTest::mouseClick(page.sendButton(), Qt::LeftButton);
        QVERIFY(page.isBusy());
        QVERIFY(finished.wait(kWaitMs));
        disconnect(counter);
        QVERIFY2(streamedWhileBusy >= 3, qPrintable(QString::number(streamedWhileBusy)));
        QString joined;
        for (const auto& args : pieces) joined += args.at(1).toString();
        const QString answer = page.transcript(0)->lastAnswer();
        QVERIFY(!answer.trimmed().isEmpty());
        QCOMPARE(joined, answer);
        // Shown as Markdown: the words are all there, paragraphs may be spaced differently.
        QVERIFY(page.transcript(0)->plainText().simplified().contains(answer.simplified()));
        QVERIFY(page.transcript(0)->lastStatsLine().contains("tok/s"));
        QVERIFY(page.transcript(0)->lastStatsLine().contains("/512 tokens"));
        QVERIFY(page.input()->toPlainText().isEmpty());
        QVERIFY(page.regenerateButton()->isEnabled());

        const int64_t chat = page.currentChatId();
        QVERIFY(chat > 0);
        const auto messages = m_library->db().listMessages(chat);
        QCOMPARE(messages.size(), size_t(2));
        QCOMPARE(messages[0].role, aqlm::MessageRole::User);
        QCOMPARE(messages[0].content, std::string("Once upon a time"));
        QCOMPARE(QString::fromStdString(messages[1].content), answer);
        QCOMPARE(messages[1].modelId, std::optional<int64_t>(m_modelA));
        QVERIFY(messages[1].tokens > 0);
        QVERIFY(messages[1].firstTokenMs > 0);
        QVERIFY(messages[1].contextUsed > messages[1].tokens);
        QVERIFY(messages[1].kernel.find("dense fp32") != std::string::npos);
        QCOMPARE(m_library->db().findChat(chat)->mode, std::string("continue"));

        // A long interval merges everything after the first piece into one final update.
        page.controller()->setUpdateIntervalMs(600000);
        pieces.clear();
        QSignalSpy again(&page, &ChatPage::answersFinished);
        page.send();  // empty input in story mode: continue the text
        QVERIFY(again.wait(kWaitMs));
        QVERIFY(pieces.count() >= 1 && pieces.count() <= 2);
        QString merged;
        for (const auto& args : pieces) merged += args.at(1).toString();
        QCOMPARE(merged, page.transcript(0)->lastAnswer());
        QCOMPARE(answersOf(m_library->db(), chat).size(), size_t(2));
    }

    void stopEndsTheAnswerEarly() {
        AQLM_REQUIRE_SHARED(kModel);
        ChatPage page(m_library.get());
        page.controller()->setUpdateIntervalMs(0);
        QSignalSpy ready(&page, &ChatPage::modelReady);
        QVERIFY(page.modelPicker(0)->selectModel(m_modelA));
        QVERIFY(waitReady(page, ready, 0));
        page.samplingPanel()->setValues(1.0f, 0, 1.0f, 1.0f, 400, 11);
        page.input()->setPlainText("The little dog");
        QSignalSpy full(&page, &ChatPage::answersFinished);
        page.send();
        QVERIFY(full.wait(kWaitMs));
        const MessageRecord complete = answersOf(m_library->db(), page.currentChatId()).back();

        page.newConversation();
        bool stoppedWhileBusy = false;
        auto stopper = connect(page.controller(), &ChatController::textArrived, this, [&] {
            if (!stoppedWhileBusy && page.stopButton()->isEnabled()) {
                stoppedWhileBusy = true;
                QTest::mouseClick(page.stopButton(), Qt::LeftButton);
            }
        });
        QSignalSpy finished(&page, &ChatPage::answersFinished);
        page.input()->setPlainText("The little dog");
        page.send();
        QVERIFY(finished.wait(kWaitMs));
        disconnect(stopper);
        QVERIFY(stoppedWhileBusy);
        const MessageRecord stopped = answersOf(m_library->db(), page.currentChatId()).back();
        qInfo("complete answer %lld tokens at %.0f tok/s; stopped after %lld tokens",
              static_cast<long long>(complete.tokens), complete.tokensPerSecond, static_cast<long long>(stopped.tokens));
        QVERIFY2(stopped.tokens < complete.tokens,
                 qPrintable(QString("%1 vs %2 tokens").arg(stopped.tokens).arg(complete.tokens)));
        // Same seed, same model: the stopped answer is the start of the complete one.
        QVERIFY(QString::fromStdString(complete.content).startsWith(QString::fromStdString(stopped.content)));
        QVERIFY(page.transcript(0)->lastStatsLine().contains("stopped"));
        QVERIFY(!page.isBusy());
        QVERIFY(page.sendButton()->isEnabled());
        QVERIFY(!page.stopButton()->isEnabled());
    }

    void regenerateReplacesTheAnswer() {
        AQLM_REQUIRE_SHARED(kModel);
        ChatPage page(m_library.get());
        QSignalSpy ready(&page, &ChatPage::modelReady);
        QVERIFY(page.modelPicker(0)->selectModel(m_modelA));
        QVERIFY(waitReady(page, ready, 0));
        page.samplingPanel()->setValues(1.0f, 0, 1.0f, 1.0f, 60, 3);
        page.input()->setPlainText("Lily had a red ball");
        QSignalSpy first(&page, &ChatPage::answersFinished);
        page.send();
        QVERIFY(first.wait(kWaitMs));
        const int64_t chat = page.currentChatId();
        const std::string before = answersOf(m_library->db(), chat).at(0).content;

        page.samplingPanel()->setValues(1.0f, 0, 1.0f, 1.0f, 60, 4);
        QSignalSpy second(&page, &ChatPage::answersFinished);
        QTest::mouseClick(page.regenerateButton(), Qt::LeftButton);
        QVERIFY(second.wait(kWaitMs));
        const auto answers = answersOf(m_library->db(), chat);
        QCOMPARE(answers.size(), size_t(1));
        QVERIFY(answers[0].content != before);
        QCOMPARE(page.transcript(0)->lastAnswer(), QString::fromStdString(answers[0].content));
        QCOMPARE(page.transcript(0)->entries().size(), 2);
        QCOMPARE(m_library->db().listMessages(chat).size(), size_t(2));
    }

    void conversationSurvivesARestart() {
        AQLM_REQUIRE_SHARED(kModel);
        int64_t chat = 0;
        std::vector<MessageRecord> messages;
        {
            auto page = std::make_unique<ChatPage>(m_library.get());
            QSignalSpy ready(page.get(), &ChatPage::modelReady);
            QVERIFY(page->modelPicker(0)->selectModel(m_modelA));
            QVERIFY(waitReady(*page, ready, 0));
            page->samplingPanel()->setValues(0.0f, 0, 1.0f, 1.0f, 30, 1);
            page->systemPromptEdit()->setPlainText("A story for children.");
            page->input()->setPlainText("Tom found a box");
            QSignalSpy finished(page.get(), &ChatPage::answersFinished);
            page->send();
            QVERIFY(finished.wait(kWaitMs));
            chat = page->currentChatId();
            QVERIFY(page->renameCurrentConversation("Tom's box"));
            messages = m_library->db().listMessages(chat);
        }  // page and controller (and its thread) are gone

        ChatPage page(m_library.get());
        QList<QListWidgetItem*> listed = page.conversationList()->findItems("Tom's box", Qt::MatchExactly);
        QCOMPARE(listed.size(), 1);
        QVERIFY(page.openConversation(chat));
        QCOMPARE(page.currentChatId(), chat);
        QCOMPARE(page.mode(), ChatMode::Continue);
        QCOMPARE(page.systemPromptEdit()->toPlainText(), QString("A story for children."));
        QCOMPARE(page.modelPicker(0)->currentModelId(), qint64(m_modelA));
        const auto& entries = page.transcript(0)->entries();
        QCOMPARE(entries.size(), int(messages.size()));
        QVERIFY(entries[0].fromUser);
        QCOMPARE(entries[0].text, QString("Tom found a box"));
        QCOMPARE(entries[1].text, QString::fromStdString(messages[1].content));
        QVERIFY(entries[1].statsLine.contains("tok/s"));

        const QString markdown = m_dir.filePath("chat.md");
        QVERIFY(page.exportMarkdownTo(markdown));
        QFile file(markdown);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.startsWith("# Tom's box"));
        QVERIFY(text.contains("A story for children."));
        QVERIFY(text.contains("## You\n\nTom found a box"));
        QVERIFY(text.contains(QString::fromStdString(messages[1].content).trimmed()));

        QVERIFY(page.deleteCurrentConversation());
        QVERIFY(!m_library->db().findChat(chat));
        QVERIFY(page.conversationList()->findItems("Tom's box", Qt::MatchExactly).isEmpty());
    }

    void sideBySideGivesTwoAnswers() {
        AQLM_REQUIRE_SHARED(kModel);
        ChatPage page(m_library.get());
        QSignalSpy ready(&page, &ChatPage::modelReady);
        QVERIFY(page.modelPicker(0)->selectModel(m_modelA));
        page.setSideBySide(true);
        QVERIFY(page.modelPicker(1)->selectModel(m_modelB));
        QVERIFY(waitReady(page, ready, 0));
        QVERIFY(waitReady(page, ready, 1));
        QVERIFY(page.transcript(1)->isVisibleTo(&page));
        page.samplingPanel()->setValues(1.0f, 0, 1.0f, 1.0f, 80, 5);
        page.input()->setPlainText("Once upon a time");
        QSignalSpy finished(&page, &ChatPage::answersFinished);
        page.send();
        QVERIFY(finished.wait(kWaitMs));

        const int64_t chat = page.currentChatId();
        QCOMPARE(m_library->db().findChat(chat)->secondModelId, std::optional<int64_t>(m_modelB));
        const auto answers = answersOf(m_library->db(), chat);
        QCOMPARE(answers.size(), size_t(2));
        QCOMPARE(answers[0].modelId, std::optional<int64_t>(m_modelA));
        QCOMPARE(answers[1].modelId, std::optional<int64_t>(m_modelB));
        for (int c = 0; c < 2; ++c) {
            QVERIFY(!page.transcript(c)->lastAnswer().trimmed().isEmpty());
            QVERIFY(page.transcript(c)->lastStatsLine().contains("tok/s"));
            QVERIFY2(page.transcript(c)->title().contains("tok/s"), qPrintable(page.transcript(c)->title()));
            QCOMPARE(page.transcript(c)->entries().size(), 2);  // the prompt and this model's answer
        }
        // Same weights and the same seed for both columns: the comparison is fair, the answers equal.
        QCOMPARE(answers[0].content, answers[1].content);
    }

    void chatModelDefaultsToChat() {
        const char* hf = "models/reference-7M/hf";
        AQLM_REQUIRE_SHARED(hf);
        // reference-7M with a ChatML template beside it: the page chats instead of continuing.
        QVERIFY(QDir().mkpath(m_dir.filePath("chatml")));
        for (const char* name : {"config.json", "model.safetensors", "tokenizer.model"})
            QVERIFY(QFile::copy(QString::fromStdString(sharedPath(std::string(hf) + "/" + name)),
                                m_dir.filePath(QString("chatml/") + name)));
        QFile config(m_dir.filePath("chatml/tokenizer_config.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("{\"chat_template\": \"{% for message in messages %}{{'<|im_start|>' + message['role'] + "
                     "'\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}\"}");
        config.close();
        ModelRecord m;
        m.name = "reference-7M chat";
        m.path = m_dir.filePath("chatml").toStdString();
        m.format = "hf";
        const int64_t id = m_library->db().addModel(m);

        ChatPage page(m_library.get());
        QSignalSpy ready(&page, &ChatPage::modelReady);
        QVERIFY(page.modelPicker(0)->selectModel(id));
        QVERIFY(waitReady(page, ready, 0));
        QCOMPARE(ready.last().at(1).value<ChatModelSummary>().templateFamily, QString("ChatML"));
        QCOMPARE(page.mode(), ChatMode::Chat);
        page.samplingPanel()->setValues(0.0f, 0, 1.0f, 1.0f, 24, 1);
        page.systemPromptEdit()->setPlainText("You tell short stories.");
        page.input()->setPlainText("Tell me about a cat.");
        QSignalSpy finished(&page, &ChatPage::answersFinished);
        page.send();
        QVERIFY(finished.wait(kWaitMs));
        const auto answers = answersOf(m_library->db(), page.currentChatId());
        QCOMPARE(answers.size(), size_t(1));
        QVERIFY(answers[0].tokens > 0);
        QVERIFY(answers[0].content.find("<|im_end|>") == std::string::npos);
        QCOMPARE(m_library->db().findChat(page.currentChatId())->mode, std::string("chat"));
        QCOMPARE(m_library->db().findChat(page.currentChatId())->systemPrompt, std::string("You tell short stories."));
        // An empty message is not sent in chat mode.
        page.send();
        QVERIFY(!page.isBusy());
        QCOMPARE(answersOf(m_library->db(), page.currentChatId()).size(), size_t(1));
    }

    void closingMidAnswerStopsCleanly() {
        AQLM_REQUIRE_SHARED(kModel);
        auto page = std::make_unique<ChatPage>(m_library.get());
        page->controller()->setUpdateIntervalMs(0);
        QVERIFY(page->modelPicker(0)->selectModel(m_modelA));
        page->samplingPanel()->setValues(1.0f, 0, 1.0f, 1.0f, 400, 11);
        page->input()->setPlainText("The big tree");
        QSignalSpy pieces(page->controller(), &ChatController::textArrived);
        page->send();
        QVERIFY(pieces.wait(kWaitMs));
        QVERIFY(page->isBusy());
        const int64_t chat = page->currentChatId();
        page.reset();  // cancels the answer and joins the engine thread

        // The user's turn is kept; the interrupted answer was never delivered, so nothing half-saved.
        const auto messages = m_library->db().listMessages(chat);
        QCOMPARE(messages.size(), size_t(1));
        QCOMPARE(messages[0].role, aqlm::MessageRole::User);
        ChatPage reopened(m_library.get());
        QVERIFY(reopened.openConversation(chat));
        QVERIFY(reopened.sendButton()->isEnabled());
    }

    void missingModelIsReported() {
        ModelRecord gone;
        gone.name = "gone";
        gone.path = m_dir.filePath("gone/model.bin").toStdString();
        gone.format = "llama2c";
        const int64_t id = m_library->db().addModel(gone);
        ChatPage page(m_library.get());
        QSignalSpy failed(page.controller(), &ChatController::loadFailed);
        QSignalSpy status(&page, &ChatPage::statusMessage);
        QVERIFY(page.modelPicker(0)->selectModel(id));
        QVERIFY(failed.wait(kWaitMs));
        QVERIFY(!status.isEmpty());
        QVERIFY2(status.last().at(0).toString().contains(QString::fromStdString(gone.path)),
                 qPrintable(status.last().at(0).toString()));
        // Sending anyway fails the answer with a message instead of hanging or crashing.
        page.setMode(ChatMode::Continue);
        QSignalSpy finished(&page, &ChatPage::answersFinished);
        page.send();
        QVERIFY(finished.wait(kWaitMs));
        QVERIFY(page.transcript(0)->lastStatsLine().startsWith("Failed"));
        QVERIFY(answersOf(m_library->db(), page.currentChatId()).empty());
        QVERIFY(m_library->db().deleteModel(id));
    }

    void paneFollowsADeletedModel() {
        ModelRecord doomed;
        doomed.name = "doomed variant";
        doomed.path = m_dir.filePath("doomed/model.bin").toStdString();
        doomed.format = "llama2c";
        const int64_t id = m_library->db().addModel(doomed);
        ChatPage page(m_library.get());
        QVERIFY(page.modelPicker(0)->selectModel(id));
        QCOMPARE(page.transcript(0)->title(), QString("doomed variant"));
        QVERIFY(m_library->db().deleteModel(id));
        m_library->notifyChanged();
        QVERIFY(page.modelPicker(0)->currentModelId() != id);
        QVERIFY2(page.transcript(0)->title() != QString("doomed variant"), qPrintable(page.transcript(0)->title()));
        QCOMPARE(page.transcript(0)->title(), page.modelPicker(0)->currentModelName());
    }

    void samplingIsRememberedPerModel() {
        SamplingPanel panel;
        panel.setModelPath("/models/a.bin");
        panel.setValues(0.3f, 5, 0.5f, 1.2f, 77, 9);
        panel.setModelPath("/models/b.bin");
        QCOMPARE(panel.maxNewTokens(), 256);  // a model seen for the first time gets the defaults
        QCOMPARE(panel.seed(), -1);
        QCOMPARE(panel.currentPreset(), 0);   // balanced
        panel.applyPreset(1);                 // greedy
        QCOMPARE(panel.params().temperature, 0.0f);
        QCOMPARE(panel.currentPreset(), 1);
        panel.setModelPath("/models/a.bin");
        QCOMPARE(panel.currentPreset(), panel.presetCount());  // custom values
        const SamplingParams a = panel.params();
        QCOMPARE(a.temperature, 0.3f);
        QCOMPARE(a.topK, 5);
        QCOMPARE(a.topP, 0.5f);
        QCOMPARE(a.repeatPenalty, 1.2f);
        QCOMPARE(a.seed, uint64_t(9));
        QCOMPARE(panel.maxNewTokens(), 77);
        panel.setModelPath("/models/b.bin");
        QCOMPARE(panel.params().temperature, 0.0f);
    }

    void cleanupTestCase() { m_library.reset(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LibraryService> m_library;
    int64_t m_modelA = 0, m_modelB = 0;
};

QTEST_MAIN(TestChatPage)
#include "tst_chat_page.moc"
