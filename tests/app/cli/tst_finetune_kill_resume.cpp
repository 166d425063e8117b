// kill -9 during whole-model fine-tuning (aqlm finetune, PV-Tuning and global KD): a stories260K
// student is fine-tuned in a child process that is SIGKILLed while it writes each kind of file
// resume depends on (the checkpoint's tensors, its state.json, the result's weights and its
// config.json) and at timed moments, then resumed with --resume. Every resumed run ends
// bit-identical to an uninterrupted one, and no killed run leaves a folder that loads as a finished
// model unless it is one, byte for byte. The kill points are chosen by name from the files an
// uninterrupted run commits (AQLM_FAILPOINT_LOG, AQLM_FAILPOINT_KILL_AT_COMMIT: see tst_kill_resume).
// Also: a read-only library or output folder is an error naming it before any work.
#include "aqlm_process.h"

#include "engine/library/model_library.h"

#include <QtTest/QtTest>

#include <csignal>
#include <random>

using namespace aqlm::test;

namespace {

QString teacherPath() { return QString::fromStdString(sharedPath("models/stories260K/stories260K.bin")); }

QStringList finetuneArgs(const QString& student, const QString& out, const QString& mode) {
    return {"finetune", student, "--teacher", teacherPath(), "--out", out, "--data", calibrationText(),
            "--mode", mode, "--steps", "4", "--tokens-per-step", "256", "--seq-len", "32", "--eval-every", "2",
            "--eval-windows", "4", "--lr", "1e-3", "--code-lr", "1e-2", "--tau", "0.05", "--seed", "3",
            "--threads", "1", "--quiet"};
}

// Runs aqlm and SIGKILLs it after `ms` milliseconds unless it has ended by then.
Run runAqlmKilledAfter(const QStringList& args, int ms) {
    QProcess p;
    p.setProcessEnvironment(environment());
    p.start(aqlmBinary(), args);
    if (!p.waitForStarted(30000)) return {};
    if (!p.waitForFinished(ms)) {
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        p.waitForFinished(60000);
    }
    return {p.exitStatus() == QProcess::CrashExit, p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardError())};
}

// Runs `program args` with `folder` made read-only: a read-only bind mount of it in a private mount
// namespace (root in CI). Exit code 97: no such mount here.
Run runWithReadOnlyFolder(const QString& folder, const QString& program, const QStringList& args) {
    const QString script = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" || exit 97; shift; exec \"$@\"";
    return runProgram("unshare", QStringList{"-m", "/bin/sh", "-c", script, "sh", folder, program} + args, environment());
}

bool cannotMount(const Run& r) {
    return r.exitCode == 97 || r.err.contains("unshare failed") || r.err.contains("Operation not permitted");
}

}  // namespace

class TestFinetuneKillResume : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_student;
    QMap<QString, QMap<QString, QByteArray>> m_expected;  // per mode: the uninterrupted run's files
    QMap<QString, QStringList> m_commits;                 // per mode: the files it committed, in order
    qint64 m_pvMilliseconds = 0;                          // how long the uninterrupted PV run took

    void expectFinishedModel(const QString& mode, const QString& out, const QString& after) {
        const QMap<QString, QByteArray>& expected = m_expected[mode];
        const QMap<QString, QByteArray> resumed = modelFiles(out);
        QVERIFY2(resumed.keys() == expected.keys(),
                 qPrintable(QString("%1: %2 instead of %3").arg(after, resumed.keys().join(", "), expected.keys().join(", "))));
        for (const QString& name : expected.keys())
            QVERIFY2(resumed[name] == expected[name], qPrintable(QString("%1 differs %2").arg(name, after)));
        QVERIFY(runAqlm({"info", out}, environment()).exitCode == 0);
    }

    // A killed run: its folder loads only if it is the finished model; resumed, it becomes that model.
    void expectResumesToTheSameModel(const QString& mode, const QString& out, const QString& after) {
        const Run info = runAqlm({"info", out}, environment());
        const bool leftState = QFileInfo::exists(out + "/.aqlm-finetune");
        if (info.exitCode == 0 && !leftState) {  // it had finished
            expectFinishedModel(mode, out, after + " (it loads, so it must be finished)");
            return;
        }
        // Loads with its checkpoint still there: killed after its config.json, the last file of
        // the result, was in place (finished but not cleared). Resume clears it.
        if (info.exitCode == 0) qInfo("%s: finished, its checkpoint not yet removed", qPrintable(after));
        else if (QFileInfo::exists(out + "/.aqlm-finetune")) {
            QVERIFY2(info.err.contains("unfinished fine-tuning run"), qPrintable(info.err));
        }
        const Run r = runAqlm(finetuneArgs(m_student, out, mode) << "--resume", environment());
        QVERIFY2(r.exitCode == 0, qPrintable(QString("resume %1: %2").arg(after, r.err)));
        expectFinishedModel(mode, out, after);
    }

    void reference(const QString& mode) {
        const QString out = m_dir.filePath("reference-" + mode);
        const QString log = m_dir.filePath("commits-" + mode + ".log");
        QElapsedTimer timer;
        timer.start();
        const Run r = runAqlm(finetuneArgs(m_student, out, mode), environment("AQLM_FAILPOINT_LOG", log));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        if (mode == "pv") m_pvMilliseconds = timer.elapsed();
        m_expected[mode] = modelFiles(out);
        QVERIFY(m_expected[mode].contains("config.json") && m_expected[mode].contains("model.safetensors"));
        QVERIFY(!QFileInfo::exists(out + "/.aqlm-finetune"));
        m_commits[mode] = loggedCommits(log, out);
        qInfo("%s: %lld ms, commits: %s", qPrintable(mode), timer.elapsed(), qPrintable(m_commits[mode].join(", ")));
    }

    void killAtNamedCommits(const QString& mode, const QStringList& names) {
        const QStringList& commits = m_commits[mode];
        for (const QString& spec : names) {
            // "NAME" is its first commit, "NAME@last" its last.
            const bool last = spec.endsWith("@last");
            const QString name = last ? spec.chopped(5) : spec;
            const int index = last ? commits.lastIndexOf(name) : commits.indexOf(name);
            QVERIFY2(index >= 0, qPrintable(QString("%1 is not among %2").arg(name, commits.join(", "))));
            const int point = index + 1;  // the failpoint counts from 1
            const QString out = m_dir.filePath(QString("%1-killed-at-%2").arg(mode).arg(point));
            const Run r = runAqlm(finetuneArgs(m_student, out, mode),
                                  environment("AQLM_FAILPOINT_KILL_AT_COMMIT", QString::number(point)));
            QVERIFY2(r.killed, qPrintable(QString("commit %1 (%2) was not reached: %3").arg(point).arg(spec, r.err)));
            // Killed before its config.json was in place: the folder must not pass for a model.
            const Run info = runAqlm({"info", out}, environment());
            QVERIFY2(info.exitCode != 0, qPrintable(QString("killed at %1 (%2) but loads").arg(point).arg(spec)));
            QVERIFY2(info.err.contains("unfinished fine-tuning run"), qPrintable(info.err));
            expectResumesToTheSameModel(mode, out, QString("after a kill at commit %1 (%2)").arg(point).arg(spec));
        }
    }

private Q_SLOTS:
    void initTestCase() {
        if (!QFileInfo::exists(teacherPath()) ||
            !QFileInfo::exists(QString::fromStdString(sharedPath("data/tinystories/tinystories_train_head_2MiB.txt"))))
            QSKIP("shared stories260K model or TinyStories text missing (set AQLM_SHARED)");
        m_student = m_dir.filePath("student");
        const Run r = runAqlm({"quantize", teacherPath(), "--out", m_student, "--scheme", "2x6g4", "--calib",
                               calibrationText(), "--nsamples", "4", "--seq-len", "32", "--max-epochs", "1",
                               "--steps-per-epoch", "2", "--finetune-epochs", "1", "--threads", "1", "--quiet"},
                              environment());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        reference("pv");
        reference("global");
    }

    void pvKilledAtEachKindOfCommitThenResumed() {
        killAtNamedCommits("pv", {
            ".aqlm-finetune/state-2.safetensors",  // the first checkpoint's tensors, no state.json yet
            ".aqlm-finetune/state.json",           // the first state.json
            ".aqlm-finetune/state-4.safetensors",  // the next tensors while state.json still names step 2
            ".aqlm-finetune/state.json@last",      // the last step's checkpoint
            "model.safetensors",                   // the result's weights
            "config.json",                         // the result's config, its last file
        });
    }

    void globalKilledDuringCheckpointAndExportThenResumed() {
        killAtNamedCommits("global", {".aqlm-finetune/state-4.safetensors", "model.safetensors"});
    }

    void pvKilledAtTimedMomentsThenResumed() {
        // Moments spread over the uninterrupted run's length (start-up included), jittered by a
        // seed printed here (set AQLM_KILL_SEED to replay one).
        const quint64 seed = qEnvironmentVariableIsSet("AQLM_KILL_SEED") ? qEnvironmentVariable("AQLM_KILL_SEED").toULongLong()
                                                                         : quint64(QDateTime::currentMSecsSinceEpoch());
        qInfo("kill seed %llu, uninterrupted run %lld ms", static_cast<unsigned long long>(seed), m_pvMilliseconds);
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<double> jitter(-0.08, 0.08);
        int i = 0;
        for (double fraction : {0.4, 0.7, 0.95}) {
            const int ms = std::max(1, int(double(m_pvMilliseconds) * (fraction + jitter(rng))));
            const QString out = m_dir.filePath(QString("pv-killed-after-%1-ms-%2").arg(ms).arg(i++));
            const Run r = runAqlmKilledAfter(finetuneArgs(m_student, out, "pv"), ms);
            qInfo("killed after %d ms: %s", ms, r.killed ? "killed" : "it had finished");
            expectResumesToTheSameModel("pv", out, QString("after a kill at %1 ms").arg(ms));
        }
    }

    void readOnlyLibraryIsRefusedBeforeWork() {
        QTemporaryDir folder;
        const QString library = folder.filePath("library.db");
        { aqlm::ModelLibrary created(library.toStdString()); }
        const QString out = m_dir.filePath("read-only-library-out");
        const Run r = runWithReadOnlyFolder(folder.path(), aqlmBinary(),
                                            finetuneArgs(m_student, out, "pv") << "--library" << library);
        if (cannotMount(r)) QSKIP(qPrintable("cannot mount a read-only folder here: " + r.err));
        QVERIFY2(!r.killed && r.exitCode == 1, qPrintable(r.err));
        QVERIFY2(r.err.contains(library) && r.err.contains("read-only"), qPrintable(r.err));
        QVERIFY2(!QFileInfo::exists(out), "the run started before the library was checked");
    }

    void readOnlyOutputFolderIsRefusedBeforeWork() {
        QTemporaryDir folder;
        const QString out = folder.filePath("out");
        const Run r = runWithReadOnlyFolder(folder.path(), aqlmBinary(), finetuneArgs(m_student, out, "pv"));
        if (cannotMount(r)) QSKIP(qPrintable("cannot mount a read-only folder here: " + r.err));
        QVERIFY2(!r.killed && r.exitCode == 1, qPrintable(r.err));
        QVERIFY2(r.err.contains(out) && r.err.contains("not writable") && r.err.contains("Read-only file system"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestFinetuneKillResume)
#include "tst_finetune_kill_resume.moc"
