#pragma once
// The aqlm command as a child process for the crash tests (tst_kill_resume,
// tst_finetune_kill_resume): its exit, a crash-test failpoint in its environment, the small
// calibration text they share, and the files of a finished model folder.
#include "shared_paths.h"

#include <QtTest/QtTest>

namespace aqlm::test {

struct Run {
    bool killed = false;
    int exitCode = -1;
    QString err;
};

// The environment without any crash-test failpoint, plus `name=value` when given.
inline QProcessEnvironment environment(const QString& name = {}, const QString& value = {}) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("AQLM_FAILPOINT_KILL_AT_COMMIT");
    env.remove("AQLM_FAILPOINT_LOG");
    if (!name.isEmpty()) env.insert(name, value);
    return env;
}

inline QString aqlmBinary() { return qEnvironmentVariable("AQLM_BIN", "build/bin") + "/aqlm"; }

inline Run runProgram(const QString& program, const QStringList& args, const QProcessEnvironment& env) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(300000)) p.kill();
    return {p.exitStatus() == QProcess::CrashExit, p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardError())};
}

inline Run runAqlm(const QStringList& args, const QProcessEnvironment& env) { return runProgram(aqlmBinary(), args, env); }

// A small calibration text (tokenizing the whole 2 MiB file would be most of each run's time).
inline QString calibrationText() {
    static QTemporaryDir dir;
    const QString path = dir.filePath("calibration.txt");
    if (!QFileInfo::exists(path)) {
        QFile in(QString::fromStdString(sharedPath("data/tinystories/tinystories_train_head_2MiB.txt")));
        QFile out(path);
        if (in.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly)) {
            const QByteArray head = in.read(32768);
            out.write(head.left(head.lastIndexOf('\n') + 1));
        }
    }
    return path;
}

// Every file of a folder but a compression run's own bookkeeping (its timings differ run to run).
inline QMap<QString, QByteArray> modelFiles(const QString& folder) {
    QMap<QString, QByteArray> files;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = QDir(folder).relativeFilePath(path);
        if (relative.startsWith(".aqlm-run/")) continue;
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) files.insert(relative, f.readAll());
    }
    return files;
}

// The paths an AQLM_FAILPOINT_LOG file lists, relative to `folder`, in commit order.
inline QStringList loggedCommits(const QString& log, const QString& folder) {
    QStringList commits;
    QFile logFile(log);
    if (!logFile.open(QIODevice::ReadOnly)) return commits;
    for (const QByteArray& line : logFile.readAll().split('\n'))
        if (!line.isEmpty()) commits << QDir(folder).relativeFilePath(QString::fromUtf8(line));
    return commits;
}

}  // namespace aqlm::test
