#pragma once
// Keeps a widget test's QSettings and QStandardPaths inside its temporary folder, so AppSettings
// neither reads the developer's preferences nor leaves files in ~/.config behind.
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

inline void isolateUserSettings(const QTemporaryDir& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    // AppSettings uses the native format (INI files on Linux): keep both inside the temp folder.
    for (QSettings::Format format : {QSettings::NativeFormat, QSettings::IniFormat})
        QSettings::setPath(format, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
}
