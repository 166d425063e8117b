#include "widgets/core/app_settings.h"

#include <QCryptographicHash>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace aqlm::ui {

namespace {
QSettings store() { return QSettings(QStringLiteral("AQLM Studio"), QStringLiteral("aqlm-studio")); }
}  // namespace

int AppSettings::threads() { return store().value(QStringLiteral("engine/threads"), 0).toInt(); }
void AppSettings::setThreads(int threads) { store().setValue(QStringLiteral("engine/threads"), threads); }

QString AppSettings::device() { return store().value(QStringLiteral("engine/device"), QStringLiteral("cpu")).toString(); }
void AppSettings::setDevice(const QString& device) { store().setValue(QStringLiteral("engine/device"), device); }

aqlm::RuntimeOptions AppSettings::runtime() {
    aqlm::RuntimeOptions options;
    options.threads = threads();
    options.device = device() == QStringLiteral("cpu") ? aqlm::ComputeDevice::Cpu : aqlm::ComputeDevice::Auto;
    return options;
}

QString AppSettings::defaultDataFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString AppSettings::dataFolder() {
    const QString fromEnv = qEnvironmentVariable("AQLM_STUDIO_DATA");
    if (!fromEnv.isEmpty()) return fromEnv;
    return store().value(QStringLiteral("library/dataFolder"), defaultDataFolder()).toString();
}
void AppSettings::setDataFolder(const QString& folder) { store().setValue(QStringLiteral("library/dataFolder"), folder); }

QString AppSettings::libraryPath() { return QDir(dataFolder()).filePath(QStringLiteral("library.sqlite3")); }
QString AppSettings::modelsFolder() { return QDir(dataFolder()).filePath(QStringLiteral("models")); }

QString AppSettings::language() { return store().value(QStringLiteral("ui/language")).toString(); }
void AppSettings::setLanguage(const QString& language) { store().setValue(QStringLiteral("ui/language"), language); }

namespace {
// Paths contain '/' which QSettings reads as groups: key by a hash of the path instead.
QString samplingKey(const QString& modelPath) {
    return QStringLiteral("chat/sampling/") +
           QString::fromLatin1(QCryptographicHash::hash(modelPath.toUtf8(), QCryptographicHash::Sha1).toHex());
}
}  // namespace

// One key per value (not a QVariantMap blob) keeps the settings file readable.
QVariantMap AppSettings::chatSampling(const QString& modelPath) {
    QSettings s = store();
    s.beginGroup(samplingKey(modelPath));
    QVariantMap values;
    for (const QString& key : s.childKeys()) values.insert(key, s.value(key));
    return values;
}
void AppSettings::setChatSampling(const QString& modelPath, const QVariantMap& values) {
    QSettings s = store();
    s.beginGroup(samplingKey(modelPath));
    for (auto it = values.cbegin(); it != values.cend(); ++it) s.setValue(it.key(), it.value());
}

}  // namespace aqlm::ui
