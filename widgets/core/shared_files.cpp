#include "widgets/core/shared_files.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace aqlm::ui {

QString findSharedFile(const QStringList& relativeNames) {
    QStringList roots;
    const QString env = qEnvironmentVariable("AQLM_SHARED");
    if (!env.isEmpty()) roots << env;
    const QString appDir = QCoreApplication::applicationDirPath();
    roots << QDir::current().filePath(QStringLiteral("../shared")) << appDir + QStringLiteral("/../../shared")
          << appDir + QStringLiteral("/../../../shared");
    for (const QString& root : roots)
        for (const QString& name : relativeNames) {
            const QFileInfo f(QDir(root).filePath(name));
            if (f.isFile()) return QDir::cleanPath(f.absoluteFilePath());
        }
    return {};
}

QString findInstalledExample(const QString& name) {
    const QFileInfo f(QCoreApplication::applicationDirPath() + QStringLiteral("/../share/aqlm-studio/examples/") + name);
    return f.isFile() ? QDir::cleanPath(f.absoluteFilePath()) : QString();
}

QString defaultFinetuneTextFile() {
    const QString shared = findSharedFile({QStringLiteral("data/tinystories/tinystories_train_head_2MiB.txt")});
    return shared.isEmpty() ? findInstalledExample(QStringLiteral("tinystories-train-sample.txt")) : shared;
}

QString defaultFinetuneOutDir(const QString& studentPath, aqlm::FinetuneMode mode) {
    const QString base = QDir::cleanPath(studentPath) + (mode == aqlm::FinetuneMode::Pv ? QStringLiteral("-pv")
                                                                                        : QStringLiteral("-ft"));
    QString candidate = base;
    for (int n = 2; QFileInfo::exists(candidate); ++n) candidate = base + QLatin1Char('-') + QString::number(n);
    return candidate;
}

}  // namespace aqlm::ui
