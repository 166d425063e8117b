// kill -9 anywhere: a stories260K compression in a child process is SIGKILLed while it writes each
// kind of file resume depends on (run state, block snapshots, every export file), then resumed with
// --resume. Every resumed run ends bit-identical to an uninterrupted one, and no killed run leaves a
// folder that loads as a finished model. The kill points are chosen by name from the files an
// uninterrupted run commits (AQLM_FAILPOINT_LOG); the process kills itself with SIGKILL at the
// chosen commit (AQLM_FAILPOINT_KILL_AT_COMMIT), after the temporary file is written and before it
// is renamed into place. bench/crash/kill_resume.sh kills at random moments instead.
#include "aqlm_process.h"

#include <QtTest/QtTest>

using namespace aqlm::test;

namespace {

// aqlm with its files limited to `kib` KiB (RLIMIT_FSIZE): a write past it fails with EFBIG, as on
// a full disk. SIGXFSZ is ignored so the write returns the error instead of killing the process.
Run runAqlmWithFileLimit(const QStringList& args, qint64 kib) {
    return runProgram("/bin/bash", QStringList{"-c", "trap '' XFSZ; ulimit -f " + QString::number(kib) + "; exec \"$0\" \"$@\"",
                                               aqlmBinary()} + args, environment());
}

QStringList quantizeArgs(const QString& out) {
    return {"quantize", QString::fromStdString(sharedPath("models/stories260K/stories260K.bin")), "--out", out,
            "--scheme", "2x6g4", "--calib", calibrationText(),
            "--nsamples", "4", "--seq-len", "32", "--max-epochs", "1", "--steps-per-epoch", "2",
            "--finetune-epochs", "1", "--threads", "1", "--quiet"};
}

}  // namespace

class TestKillResume : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QMap<QString, QByteArray> m_expected;  // the uninterrupted run's model files
    QStringList m_commits;                 // the files it committed, in order, relative to its folder

    void expectSameModel(const QString& out, const QString& after) {
        const QMap<QString, QByteArray> resumed = modelFiles(out);
        QCOMPARE(resumed.keys(), m_expected.keys());
        for (const QString& name : m_expected.keys())
            QVERIFY2(resumed[name] == m_expected[name], qPrintable(QString("%1 differs %2").arg(name, after)));
        QVERIFY(runAqlm({"info", out}, environment()).exitCode == 0);
    }

private Q_SLOTS:
    void initTestCase() {
        if (!QFileInfo::exists(QString::fromStdString(sharedPath("models/stories260K/stories260K.bin"))) ||
            !QFileInfo::exists(QString::fromStdString(sharedPath("data/tinystories/tinystories_train_head_2MiB.txt"))))
            QSKIP("shared stories260K model or TinyStories text missing (set AQLM_SHARED)");
        const QString reference = m_dir.filePath("reference");
        const QString log = m_dir.filePath("commits.log");
        const Run r = runAqlm(quantizeArgs(reference), environment("AQLM_FAILPOINT_LOG", log));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        m_expected = modelFiles(reference);
        QVERIFY(m_expected.contains("config.json") && m_expected.contains("model.safetensors"));
        m_commits = loggedCommits(log, reference);
        QVERIFY(!m_commits.isEmpty());
    }

    void killedAnywhereThenResumedGivesTheSameModel() {
        const QStringList& commits = m_commits;
        auto firstCommitOf = [&](const QString& name, int from = 0) {
            const int i = commits.indexOf(name, from);
            return i < 0 ? -1 : i + 1;  // the failpoint counts from 1
        };
        const int firstState = firstCommitOf(".aqlm-run/run.json");
        const QList<int> points = {
            firstState,                                                  // the run state, before any block
            firstCommitOf(".aqlm-run/block_0.safetensors"),               // the first block snapshot
            firstCommitOf(".aqlm-run/run.json", firstState),              // the state naming block 0 done
            firstCommitOf("config.json"),                                 // the export begins
            firstCommitOf("model.safetensors"),                           // the weights of the export
            int(commits.size()),                                          // the state marking it complete
        };
        QVERIFY2(!points.contains(-1) && !points.contains(0), qPrintable(commits.join(", ")));

        for (int point : points) {
            const QString out = m_dir.filePath(QString("killed-at-%1").arg(point));
            Run r = runAqlm(quantizeArgs(out), environment("AQLM_FAILPOINT_KILL_AT_COMMIT", QString::number(point)));
            QVERIFY2(r.killed, qPrintable(QString("commit %1 (%2) was not reached: %3")
                                              .arg(point).arg(commits.value(point - 1), r.err)));
            // Killed before its completion was recorded: the folder must not pass for a model.
            const Run info = runAqlm({"info", out}, environment());
            QVERIFY2(info.exitCode != 0, qPrintable(QString("killed at %1 (%2) but loads").arg(point).arg(commits.value(point - 1))));
            if (QFileInfo::exists(out + "/config.json") || QFileInfo::exists(out + "/.aqlm-run/run.json"))
                QVERIFY2(info.err.contains("unfinished"), qPrintable(info.err));

            r = runAqlm(quantizeArgs(out) << "--resume", environment());
            QVERIFY2(r.exitCode == 0, qPrintable(QString("resume after %1: %2").arg(point).arg(r.err)));
            expectSameModel(out, QString("after a kill at commit %1 (%2)").arg(point).arg(commits.value(point - 1)));
        }
    }

    void diskFullThenResume() {
        // The limits fall inside the first block snapshot, then inside the exported weights.
        const qint64 weights = m_expected["model.safetensors"].size();
        const qint64 inSnapshot = weights / 5 / 1024 / 2, inExport = weights / 1024 / 2;
        qInfo("exported weights %lld bytes; limits %lld KiB and %lld KiB", weights, inSnapshot, inExport);
        const QString out = m_dir.filePath("disk-full");

        Run r = runAqlmWithFileLimit(quantizeArgs(out), inSnapshot);
        QVERIFY2(!r.killed && r.exitCode != 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("block_0.safetensors") && r.err.contains("File too large"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out + "/.aqlm-run/block_0.safetensors"));     // no torn snapshot
        QVERIFY(!QFileInfo::exists(out + "/.aqlm-run/block_0.safetensors.tmp"));  // nor its temporary

        r = runAqlmWithFileLimit(quantizeArgs(out) << "--resume", inExport);
        QVERIFY2(!r.killed && r.exitCode != 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("model.safetensors") && r.err.contains("File too large"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out + "/model.safetensors.tmp"));
        const Run info = runAqlm({"info", out}, environment());
        QVERIFY2(info.exitCode != 0 && info.err.contains("unfinished"), qPrintable(info.err));

        // Space freed: the run resumes from its snapshots and ends as if nothing had happened.
        r = runAqlm(quantizeArgs(out) << "--resume", environment());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        expectSameModel(out, "after two disk-full failures and a resume");
    }

    void readOnlyOutputFolderIsRefusedBeforeWork() {
        // A read-only tmpfs in a private mount namespace (root in CI; skipped where that is not allowed).
        QTemporaryDir mountPoint;
        const QString script = "mount -t tmpfs -o ro,size=1m tmpfs \"$1\" || exit 97; shift; exec \"$@\"";
        const Run r = runProgram("unshare", QStringList{"-m", "/bin/sh", "-c", script, "sh", mountPoint.path(), aqlmBinary()} +
                                                quantizeArgs(mountPoint.path() + "/out"), environment());
        if (r.exitCode == 97 || r.err.contains("unshare failed") || r.err.contains("Operation not permitted"))
            QSKIP(qPrintable("cannot mount a read-only folder here: " + r.err));
        QVERIFY2(!r.killed && r.exitCode != 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(mountPoint.path() + "/out") && r.err.contains("not writable") &&
                     r.err.contains("Read-only file system"),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestKillResume)
#include "tst_kill_resume.moc"
