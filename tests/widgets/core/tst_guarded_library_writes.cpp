// Library writes from the GUI never throw out of a Qt slot (which would abort the app): a library
// that refuses writes while the app runs gives a message in the main window's status bar, the
// call reports failure and the app carries on. LibraryService::guarded itself, then the Chat
// page's writes (rename, clear, delete, a sent message) inside a real MainWindow.
#include "app/gui/main_window.h"
#include "widgets/chat/chat_page.h"
#include "widgets/chat/model_picker.h"
#include "widgets/core/app_settings.h"
#include "widgets/core/library_service.h"

#include "engine/api/engine_error.h"

#include <QPlainTextEdit>
#include <QStatusBar>
#include <QtTest/QtTest>

#include "isolated_settings.h"
#include "library_write_refusal.h"

#include <memory>

using namespace aqlm;
using namespace aqlm::ui;

class TestGuardedLibraryWrites : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        isolateUserSettings(m_dir);
        qputenv("AQLM_STUDIO_DATA", m_dir.filePath("data").toUtf8());
    }

    void guardedReportsInsteadOfThrowing() {
        LibraryService library(m_dir.filePath("guarded/library.sqlite"));
        QSignalSpy failed(&library, &LibraryService::failed);
        ModelRecord m;
        m.name = "m";
        m.path = "/models/m.bin";
        QVERIFY(library.guarded("Could not add: %1", [&] { library.db().addModel(m); }));
        QVERIFY(failed.isEmpty());

        QString error;
        QVERIFY(!library.guarded("Could not do it: %1",
                                 [] { throw aqlm::EngineError("/x/library.sqlite", "disk full"); }, &error));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(error.contains("disk full"), qPrintable(error));
        QCOMPARE(failed.last().at(0).toString(), QStringLiteral("Could not do it: %1").arg(error));

        // A real refusal from SQLite, for root too.
        refuseLibraryWrites(library.path().toStdString(), {"models"});
        m.path = "/models/other.bin";
        QVERIFY(!library.guarded("Could not add: %1", [&] { library.db().addModel(m); }, &error));
        QVERIFY2(error.contains("readonly"), qPrintable(error));
        QCOMPARE(failed.size(), 2);
    }

    void chatWritesReachTheStatusBar() {
        auto library = std::make_unique<LibraryService>(AppSettings::libraryPath());
        ModelRecord m;
        m.name = "absent";
        m.path = m_dir.filePath("absent/model.bin").toStdString();  // never loaded: no model needed
        m.format = "llama2c";
        const int64_t modelId = library->db().addModel(m);
        ChatRecord chat;
        chat.modelId = modelId;
        chat.title = "kept";
        const int64_t chatId = library->db().createChat(chat);
        MessageRecord hello;
        hello.chatId = chatId;
        hello.role = aqlm::MessageRole::User;
        hello.content = "hello";
        library->db().addMessage(hello);

        MainWindow window(library.get());
        ChatPage* page = window.chatPage();
        QVERIFY(page->openConversation(chatId));
        QCOMPARE(page->modelPicker(0)->currentModelId(), qint64(modelId));
        QSignalSpy failed(library.get(), &LibraryService::failed);
        refuseLibraryWrites(library->path().toStdString(), {"chats", "messages"});

        QVERIFY(!page->renameCurrentConversation("new title"));
        QVERIFY2(window.statusBar()->currentMessage().startsWith("Could not rename the conversation"),
                 qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(window.statusBar()->currentMessage().contains("readonly"));

        QVERIFY(!page->clearCurrentConversation());
        QVERIFY(window.statusBar()->currentMessage().startsWith("Could not clear the conversation"));

        QVERIFY(!page->deleteCurrentConversation());
        QVERIFY(window.statusBar()->currentMessage().startsWith("Could not delete the conversation"));
        QCOMPARE(page->currentChatId(), qint64(chatId));  // still open, still there

        page->input()->setPlainText("are you there?");
        page->send();
        QVERIFY2(window.statusBar()->currentMessage().startsWith("Could not save your message"),
                 qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(!page->isBusy());                                             // nothing was asked
        QCOMPARE(page->input()->toPlainText(), QStringLiteral("are you there?"));  // nor lost
        QCOMPARE(failed.size(), 4);

        // Nothing changed, and the page still works once the library takes writes again.
        const auto stored = library->db().findChat(chatId);
        QVERIFY(stored);
        QCOMPARE(stored->title, std::string("kept"));
        QCOMPARE(library->db().listMessages(chatId).size(), size_t(1));
        allowLibraryWrites(library->path().toStdString(), {"chats", "messages"});
        QVERIFY(page->renameCurrentConversation("renamed"));
        QCOMPARE(library->db().findChat(chatId)->title, std::string("renamed"));
        QCOMPARE(failed.size(), 4);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestGuardedLibraryWrites)
#include "tst_guarded_library_writes.moc"
