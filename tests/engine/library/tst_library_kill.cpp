// SIGKILL while the library is written the way the app writes it, by a child process
// (library_crash_child): during chat streaming (the user's message stored, the answer streaming)
// and during import (a folder of models imported one after the other). After every kill the library
// passes PRAGMA integrity_check, holds every message and model the child committed before the kill,
// byte for byte (its journal, fdatasync'ed after each commit), nothing torn, and stays writable.
// Kills: in the child mid-stream at a chosen piece of a chosen answer, and by this test at random
// moments (a seed printed here; AQLM_KILL_SEED replays it).
#include "raw_sqlite.h"
#include "shared_paths.h"

#include "engine/library/model_library.h"

#include <QtTest/QtTest>

#include <csignal>
#include <random>

using namespace aqlm::test;

namespace {

QString childBinary() { return QCoreApplication::applicationDirPath() + "/library_crash_child"; }

struct Journal {
    QList<qint64> ids;
    QList<QByteArray> stored;  // what each row holds (content or path)
};

Journal readJournal(const QString& path) {
    Journal j;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return j;
    const QByteArray all = f.readAll();
    for (const QByteArray& line : all.split('\n')) {
        const int tab = line.indexOf('\t');
        if (tab < 0) continue;  // the last line is complete: fdatasync'ed before the next commit
        j.ids << line.left(tab).toLongLong();
        j.stored << QByteArray::fromHex(line.mid(tab + 1));
    }
    return j;
}

struct ChildEnd {
    bool killed = false;
    int commitsSeen = 0;
    QString err;
};

// Starts the child; SIGKILLs it `killAfterMs` after its first commit in this run (or lets it kill
// itself when killAfterMs < 0). Returns how it ended.
ChildEnd runChild(const QStringList& args, int killAfterMs) {
    QProcess p;
    p.start(childBinary(), args);
    ChildEnd end;
    if (!p.waitForStarted(30000)) {
        end.err = "did not start: " + p.errorString();
        return end;
    }
    QElapsedTimer sinceFirst;
    QByteArray out;
    const QDeadlineTimer deadline(120000);
    while (p.state() != QProcess::NotRunning && !deadline.hasExpired()) {
        p.waitForReadyRead(5);
        out += p.readAllStandardOutput();
        end.commitsSeen = int(out.count("committed"));
        if (end.commitsSeen > 0 && !sinceFirst.isValid()) sinceFirst.start();
        if (killAfterMs >= 0 && sinceFirst.isValid() && sinceFirst.elapsed() >= killAfterMs) {
            ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
            break;
        }
    }
    p.waitForFinished(30000);
    end.killed = p.exitStatus() == QProcess::CrashExit;
    end.err = QString::fromUtf8(p.readAllStandardError());
    return end;
}

quint64 killSeed() {
    static const quint64 seed = qEnvironmentVariableIsSet("AQLM_KILL_SEED")
                                    ? qEnvironmentVariable("AQLM_KILL_SEED").toULongLong()
                                    : quint64(QDateTime::currentMSecsSinceEpoch());
    return seed;
}

}  // namespace

class TestLibraryKill : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // The library after `kills` kills: sound, every journaled row there as journaled, at most one
    // row per kill beyond the journal (committed, then killed before the journal line), and writable.
    void expectEveryCommitKept(const std::string& db, const QString& journalPath, int kills, bool messages) {
        aqlm::ModelLibrary library(db);  // recovers from the hot WAL
        QCOMPARE(library.integrityCheck(), std::string("ok"));
        const Journal j = readJournal(journalPath);
        QVERIFY(!j.ids.isEmpty());
        RawDb raw(db);
        for (int i = 0; i < j.ids.size(); ++i) {
            const std::string sql = messages ? "SELECT content FROM messages WHERE id = " + std::to_string(j.ids[i])
                                             : "SELECT path FROM models WHERE id = " + std::to_string(j.ids[i]);
            const std::string stored = raw.text(sql.c_str());
            QVERIFY2(QByteArray::fromStdString(stored) == j.stored[i],
                     qPrintable(QString("committed row %1 (journal line %2) is '%3', not '%4'")
                                    .arg(j.ids[i]).arg(i + 1).arg(QString::fromStdString(stored), QString::fromUtf8(j.stored[i]))));
        }
        const qint64 rows = QByteArray::fromStdString(raw.text(messages ? "SELECT COUNT(*) FROM messages" : "SELECT COUNT(*) FROM models")).toLongLong();
        const qint64 models = messages ? 1 : 0;  // the chat child's model row is not journaled
        QVERIFY2(rows >= j.ids.size() && rows <= j.ids.size() + kills + models,
                 qPrintable(QString("%1 rows, %2 journaled, %3 kills").arg(rows).arg(j.ids.size()).arg(kills)));
        if (messages) {
            // No answer without its question.
            QCOMPARE(raw.text("SELECT COUNT(*) FROM messages m WHERE role = 'assistant' AND NOT EXISTS "
                              "(SELECT 1 FROM messages u WHERE u.chat_id = m.chat_id AND u.role = 'user' AND u.id < m.id)"),
                     std::string("0"));
        }
        aqlm::ChatRecord after;  // and it stays writable
        after.modelId = library.listModels().front().id;
        after.title = "after the kill";
        QVERIFY(library.createChat(after) > 0);
    }

private Q_SLOTS:
    void initTestCase() {
        if (!QFileInfo::exists(childBinary())) QSKIP("library_crash_child was not built");
        qInfo("kill seed %llu (set AQLM_KILL_SEED to replay)", static_cast<unsigned long long>(killSeed()));
    }

    void sigkillDuringChatStreamingKeepsEveryCommittedMessage() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        const std::string db = (m_dir.path() + "/chat.db").toStdString();
        const QString journal = m_dir.filePath("chat.journal");
        const QString model = QString::fromStdString(sharedPath("models/stories260K/stories260K.bin"));
        std::mt19937_64 rng(killSeed());
        int kills = 0;
        // Killed by itself mid-stream: the answer number and piece vary.
        for (int round = 0; round < 4; ++round) {
            const int answer = 1 + int(rng() % 4), piece = 1 + int(rng() % 30);
            const ChildEnd end = runChild({"chat", QString::fromStdString(db), journal, model, QString::number(answer),
                                           QString::number(piece)}, -1);
            QVERIFY2(end.killed, qPrintable(QString("answer %1 piece %2: %3").arg(answer).arg(piece).arg(end.err)));
            ++kills;
            qInfo("killed mid-stream at answer %d, piece %d, after %d commits", answer, piece, end.commitsSeen);
            expectEveryCommitKept(db, journal, kills, true);
        }
        // Killed from outside at random moments: streaming, storing, or between.
        for (int round = 0; round < 4; ++round) {
            const int ms = int(rng() % 400);
            const ChildEnd end = runChild({"chat", QString::fromStdString(db), journal, model}, ms);
            QVERIFY2(end.killed, qPrintable(end.err));
            ++kills;
            qInfo("killed %d ms after its first commit, after %d commits", ms, end.commitsSeen);
            expectEveryCommitKept(db, journal, kills, true);
        }
    }

    void sigkillDuringImportKeepsEveryImportedModel() {
        AQLM_REQUIRE_SHARED("models/stories260K/stories260K.bin");
        const std::string db = (m_dir.path() + "/import.db").toStdString();
        const QString journal = m_dir.filePath("import.journal");
        const QString work = m_dir.filePath("models");
        QVERIFY(QDir().mkpath(work));
        std::mt19937_64 rng(killSeed() + 1);
        for (int kills = 1; kills <= 6; ++kills) {
            const int ms = int(rng() % 300);
            const ChildEnd end = runChild({"import", QString::fromStdString(db), journal,
                                           QString::fromStdString(sharedPath("models/stories260K/stories260K.bin")),
                                           QString::fromStdString(sharedPath("models/stories260K/tok512.bin")), work},
                                          ms);
            QVERIFY2(end.killed, qPrintable(end.err));
            qInfo("killed %d ms after its first import, after %d imports", ms, end.commitsSeen);
            expectEveryCommitKept(db, journal, kills, false);
        }
    }
};

QTEST_GUILESS_MAIN(TestLibraryKill)
#include "tst_library_kill.moc"
